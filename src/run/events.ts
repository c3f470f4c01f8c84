import type { ApplyEvent } from '../apply/types.js';

/** Stage changes and warnings of a run, for logs and the progress display. */
export type PipelineEvent =
  | { type: 'stage'; stage: 'load' | 'resolve' | 'observe' | 'plan' | 'apply' | 'report'; message: string }
  | { type: 'warning'; message: string };

export type RunEvent = ApplyEvent | PipelineEvent;
