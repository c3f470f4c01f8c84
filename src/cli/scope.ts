import { planShape, type PlanShape } from '../plan/shape.js';

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
