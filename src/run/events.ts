import type { ConcurrencyBudget } from '../api/concurrency.js';
import type { ApplyEvent } from '../apply/types.js';
import type { SentRequest } from '../model/sent-request.js';
import type { RunApplyOutcome } from './apply.js';

/** Stage changes and warnings of a run, for logs and the progress display. */
export type PipelineEvent =
  | { type: 'stage'; stage: 'load' | 'resolve' | 'observe' | 'plan' | 'apply' | 'report'; message: string }
  | { type: 'warning'; message: string }
  /** The Live Platform client is open: its request budget, for a face that shows it live. */
  | { type: 'client'; concurrency: ConcurrencyBudget | undefined };

/** A request the run sent, as the API client recorded it (masked); the state store keeps each one. */
export interface RequestEvent {
  type: 'request';
  request: SentRequest;
}

/** The demo's own steps around its applies: where its simulator listens, each run's start and end. */
export type DemoEvent =
  | { type: 'demo-start'; baseUrl: string; statePath: string }
  | { type: 'demo-run'; run: number; file: string }
  | { type: 'demo-run-end'; run: number; outcome: RunApplyOutcome };

/** `export`: how many SIP connections it will read (after the listing), then each one read. */
export type ExportEvent =
  | { type: 'export-listed'; services: number; sites: number }
  | {
      type: 'export-site';
      customerShortName: string;
      siteName: string;
      /** `missing`: gone between the listing and its read; `busy`: read while the platform was changing it. */
      status: 'read' | 'missing' | 'busy';
    };

export type RunEvent = ApplyEvent | PipelineEvent | RequestEvent | DemoEvent | ExportEvent;

/** The events of one command: each handed to the face as it happens, and kept for the command's result. */
export interface EventLog {
  emit: (event: RunEvent) => void;
  readonly events: RunEvent[];
}

export function eventLog(onEvent?: (event: RunEvent) => void): EventLog {
  const events: RunEvent[] = [];
  return {
    events,
    emit: (event) => {
      // A request event is handed on but not kept: a large run sends tens of thousands.
      if (event.type !== 'request') events.push(event);
      onEvent?.(event);
    },
  };
}
