/**
 * Why a run stops dispatching, decided in one place: `--max-errors`, a stop signal (Ctrl-C, SIGTERM), or
 * a run-ending fault (auth refused, platform unreachable, the state store full, the writer lock lost).
 */
import { interruptionOf, RunError, type Interruption } from '../model/errors.js';
import type { Redactor } from '../model/redact.js';
import type { ApplyEvent, StopReason } from './types.js';

export interface Stops {
  /** Why dispatching has stopped, if it has. */
  reason: () => StopReason | null;
  /** The run-ending fault, once there is one (redacted). */
  fatal: () => RunError | null;
  /** What interrupted the run, when a signal did. */
  interruptedBy: () => Interruption | null;
  /** The lock lost or the journal unwritable: no request at all may leave any more. */
  writesForbidden: () => boolean;
  /** Counts a failed action once; `--max-errors` stops the next dispatch. */
  countFailure: (actionId: string) => void;
  /** A fault after which no further action can succeed: stop dispatching. */
  onFatal: (error: RunError) => void;
}

export function createStops(options: {
  maxErrors: number | undefined;
  signal: AbortSignal | undefined;
  redactor: Redactor;
  emit: (event: ApplyEvent) => void;
}): Stops {
  const { maxErrors, signal, redactor, emit } = options;
  let stoppedBy: StopReason | null = null;
  let fatal: RunError | null = null;
  const failed = new Set<string>();
  const onFatal = (error: RunError): void => {
    fatal ??= new RunError(error.code, redactor.text(error.message), {
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.cause === undefined ? {} : { cause: error.cause }),
    });
    stoppedBy ??= 'fatal';
  };
  const stops: Stops = {
    reason: () => {
      // A stop signal whose reason is a fault (the writer lock lost) ends the run as that fault.
      if (stoppedBy === null && signal?.aborted) {
        if (signal.reason instanceof RunError) onFatal(signal.reason);
        else stoppedBy = 'interrupted';
      }
      return stoppedBy;
    },
    fatal: () => fatal,
    writesForbidden: () => {
      const why = stops.reason() === 'fatal' ? fatal?.code : undefined;
      return why === 'lock-lost' || why === 'state-store';
    },
    interruptedBy: () => (stoppedBy === 'interrupted' ? interruptionOf(signal) : null),
    countFailure: (actionId) => {
      if (failed.has(actionId)) return;
      failed.add(actionId);
      if (maxErrors !== undefined && failed.size >= maxErrors && stoppedBy === null) {
        stoppedBy = 'max-errors';
        emit({
          type: 'message',
          level: 'warn',
          message: `${failed.size} actions failed: no further actions are sent`,
        });
      }
    },
    onFatal,
  };
  return stops;
}
