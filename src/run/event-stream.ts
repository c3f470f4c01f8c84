/**
 * A run's event stream: every event the run emits goes to each listener subscribed — the caller's
 * (logs, progress, a console) and, while a run is recorded, the state store's.
 */
import type { StateStore } from '../state/index.js';
import type { RunEvent } from './events.js';

export type RunEventListener = (event: RunEvent) => void;

export interface EventStream {
  emit: RunEventListener;
  /** Adds a listener; the function returned removes it. */
  subscribe(listener: RunEventListener): () => void;
}

export function eventStream(...listeners: Array<RunEventListener | undefined>): EventStream {
  const subscribed = new Set(listeners.filter((l): l is RunEventListener => l !== undefined));
  return {
    emit: (event) => {
      for (const listener of subscribed) listener(event);
    },
    subscribe: (listener) => {
      subscribed.add(listener);
      return () => void subscribed.delete(listener);
    },
  };
}

/**
 * The state store's listener for one run: each request sent is kept for the run. A request it cannot
 * keep (the disk full) goes to `failed`, which stops the sending, as a journal write that fails does.
 */
export function keptByStore(
  store: Pick<StateStore, 'requestSent'>,
  runId: string,
  failed: (error: unknown) => void,
): RunEventListener {
  return (event) => {
    if (event.type !== 'request') return;
    try {
      store.requestSent(runId, event.request);
    } catch (error) {
      failed(error);
    }
  };
}
