import { createAuth, type Auth } from './auth.js';
import { capacityAt, createCapacity, type Capacity } from './capacity.js';
import { createFaults, type Faults } from './faults.js';
import {
  applyKnobChange,
  normaliseOptions,
  type Knobs,
  type NormalisedOptions,
  type SimulatorOptions,
} from './options.js';
import { settleTasks, type Context } from './platform.js';
import { traceId } from './problem.js';
import { createStream, randomUuid, streamSeed, type RandomStream } from './random.js';
import { emptyState, type SimState } from './state.js';
import { loadState, saveState } from './store.js';

/** Same JSON as `GET /_sim/state`: counters, every stored service in full, and the v3 tasks. */
export interface SimulatorSnapshot {
  counters: SimState['counters'];
  services: SimState['services'];
  tasks: SimState['tasks'];
}

/** One simulator's state, knobs, seeded streams, tokens and persistence; no HTTP here. */
export interface Core {
  readonly options: NormalisedOptions;
  readonly auth: Auth;
  knobs(): Knobs;
  state(): SimState;
  /** The platform's view for one request, at the current time. */
  context(): Context;
  /** Fault decisions for /api requests. */
  faults(): Faults;
  /** Places for /api requests, and how many there are now (null: no limit). */
  capacity(): Capacity;
  capacityNow(): number | null;
  trace(): string;
  /** Completes the v3 tasks that are due. */
  settle(): void;
  /** Writes the state file (when there is one). */
  persist(): void;
  snapshot(): SimulatorSnapshot;
  reset(): void;
  setFaults(change: unknown): Knobs;
  /** The simulator's clock. */
  now(): number;
}

export function createCore(input: SimulatorOptions): Core {
  const options = normaliseOptions(input);
  let knobs = options.knobs;
  const loaded = options.stateFile ? loadState(options.stateFile) : undefined;
  let state: SimState = loaded?.state ?? options.initialState ?? emptyState();
  // GUIDs never repeat within a simulator's life, across reset and restart: lpsync remembers GUIDs.
  const ids: RandomStream = createStream(loaded?.idStreamState ?? streamSeed(options.seed, 'ids'));
  let traces = createStream(streamSeed(options.seed, 'traces'));
  let faults = createFaults(createStream(streamSeed(options.seed, 'faults')));
  const auth = createAuth(options.clients, options.staticTokens);
  const capacity = createCapacity();
  // A capacity schedule runs from when it was set: the start, or the change that set it.
  let scheduleSetAt = Date.now();

  const context = (): Context => ({ state, knobs, now: options.clock(), newId: () => randomUuid(ids) });
  const persist = (): void => {
    if (options.stateFile) saveState(options.stateFile, { version: 1, state, idStreamState: ids.state() });
  };

  return {
    options,
    auth,
    knobs: () => knobs,
    now: () => options.clock(),
    state: () => state,
    context,
    faults: () => faults,
    capacity: () => capacity,
    capacityNow: () => capacityAt(knobs.capacity, knobs.capacitySchedule, Date.now() - scheduleSetAt),
    trace: () => traceId(traces),
    settle() {
      if (settleTasks(context())) persist();
    },
    persist,
    snapshot() {
      this.settle();
      return structuredClone({ counters: state.counters, services: state.services, tasks: state.tasks });
    },
    reset() {
      state = emptyState();
      // The same seed then gives the same faults again, as after a fresh start.
      traces = createStream(streamSeed(options.seed, 'traces'));
      faults = createFaults(createStream(streamSeed(options.seed, 'faults')));
      persist();
    },
    setFaults(change) {
      knobs = applyKnobChange(knobs, change);
      if (change !== null && typeof change === 'object' && 'capacitySchedule' in change)
        scheduleSetAt = Date.now();
      return knobs;
    },
  };
}
