import type { ApplyEvent } from '../apply/types.js';
import type { SentRequest } from '../model/sent-request.js';

/** Stage changes and warnings of a run, for logs and the progress display. */
export type PipelineEvent =
  | { type: 'stage'; stage: 'load' | 'resolve' | 'observe' | 'plan' | 'apply' | 'report'; message: string }
  | { type: 'warning'; message: string };

/** A request the run sent, as the API client recorded it (masked); the state store keeps each one. */
export interface RequestEvent {
  type: 'request';
  request: SentRequest;
}

export type RunEvent = ApplyEvent | PipelineEvent | RequestEvent;
