/**
 * A clock that moves only when the test moves it: given to the simulator (`clock`), its task and
 * pending-task timers and token lifetimes run on it, so a test says when a task is done instead of sleeping.
 */
export interface ManualClock {
  now: () => number;
  advance: (ms: number) => void;
}

export function manualClock(start = Date.now()): ManualClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}
