import type { LimitFunction } from 'p-limit';
import type { LivePlatform } from '../api/types.js';
import type { WorkbookRows } from '../model/types.js';
import { readObservedState } from './observe.js';
import { planActions } from './plan-actions.js';
import type { StateStore } from '../state/store.js';
import type { AppliedState, ObservedState, Plan } from './types.js';

export interface MakePlanOptions {
  rows: WorkbookRows;
  client: Pick<LivePlatform, 'listServices' | 'getSite'>;
  store: Pick<StateStore, 'loadApplied'>;
  /** The apply limiter, or a number of concurrent Get SIP Connection requests. */
  concurrency: LimitFunction | number;
  adopt?: boolean;
}

export interface MadePlan {
  plan: Plan;
  observed: ObservedState;
  applied: AppliedState;
}

/** The plan stage of the pipeline, shared by `plan`, `apply` and `reconcile`: observe, recall, decide. */
export async function makePlan(options: MakePlanOptions): Promise<MadePlan> {
  const applied = options.store.loadApplied();
  const observed = await readObservedState(options.client, options.rows, options.concurrency);
  const plan = planActions(options.rows, observed, applied, { adopt: options.adopt === true });
  return { plan, observed, applied };
}
