/** What a change may do: create and modify (upsert), only modify (update-only), only create (create-only). */
export const PLAN_MODES = ['upsert', 'update-only', 'create-only'] as const;
export type PlanMode = (typeof PLAN_MODES)[number];
