import type { LimitFunction } from 'p-limit';
import { ApiError } from '../api/errors.js';
import type { LivePlatform } from '../api/types.js';
import { RunError } from '../model/errors.js';
import type { WorkbookRows } from '../model/types.js';
import { planActions, readObservedState } from '../plan/index.js';
import type { AppliedState, ObservedState, Plan } from '../plan/types.js';

export interface MakePlanOptions {
  rows: WorkbookRows;
  client: Pick<LivePlatform, 'listServices' | 'getSite'>;
  /** What lpsync last applied, from the state store. */
  applied: AppliedState;
  /** The apply limiter, or a number of concurrent Get SIP Connection requests. */
  concurrency: LimitFunction | number;
  /** Shown in the "unreachable" message (masked). */
  baseUrl: string;
  adopt?: boolean;
  /** Services an earlier run created (or may have) without recording their customer-level values. */
  createdUnrecorded?: ReadonlySet<string>;
}

export interface MadePlan {
  plan: Plan;
  observed: ObservedState;
}

/** The plan stage, shared by `plan`, `apply`, `reconcile` and `--dry-run`: observe, recall, decide. */
export async function makePlan(options: MakePlanOptions): Promise<MadePlan> {
  const observed = await observe(options);
  const plan = planActions(options.rows, observed, options.applied, {
    adopt: options.adopt === true,
    ...(options.createdUnrecorded ? { createdUnrecorded: options.createdUnrecorded } : {}),
  });
  return { plan, observed };
}

/** Reads the platform; a platform that cannot be reached at all ends the run as `unreachable` (exit 3). */
async function observe(options: MakePlanOptions): Promise<ObservedState> {
  try {
    return await readObservedState(options.client, options.rows, options.concurrency);
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'network' || error.code === 'timeout'))
      throw new RunError(
        'unreachable',
        `The Live Platform at ${options.baseUrl} is unreachable: ${error.message}`,
        {
          hint: 'Check --base-url / LPSYNC_BASE_URL and the network path; nothing was sent.',
          cause: error,
        },
      );
    throw error;
  }
}
