/** `--mode`, `--only`, `--limit` of plan, apply and reconcile: what a change may touch. Declared and checked once. */
import type { Options } from 'yargs';
import { PLAN_MODES, planShape, type PlanShape } from '../run/index.js';

export const scopeOptions = {
  mode: {
    type: 'string',
    choices: PLAN_MODES,
    describe:
      'upsert: create and modify (default); update-only: never create (a short name not found is skipped); create-only: never modify (differences are listed, not sent)',
  },
  only: {
    type: 'string',
    describe:
      'A wave: customer:NAME (glob, e.g. customer:Contoso*), row:Customers!2-40, row:SipConnections!5, action:add-site; repeat it (or separate with commas) for several',
  },
  limit: { type: 'number', describe: 'Send at most this many write actions (a canary: --limit 5)' },
} satisfies { [name: string]: Options };

/** The scope as given on the command line, checked once. */
export function scopeFrom(args: { mode?: unknown; only?: unknown; limit?: unknown }): PlanShape {
  const only =
    args.only === undefined ? [] : (Array.isArray(args.only) ? args.only : [args.only]).map(String);
  return planShape({
    ...(typeof args.mode === 'string' ? { mode: args.mode } : {}),
    only,
    ...(args.limit === undefined ? {} : { limit: Number(args.limit) }),
  });
}
