import type { Options } from 'yargs';
import { PLAN_MODES } from '../plan/modes.js';

/** `--mode`, `--only`, `--limit` of plan, apply and reconcile: what a change may touch. Declared once. */
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
