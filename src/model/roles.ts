/**
 * Who may do what: the one table of roles and what each is allowed, for every face (the CLI's accounts
 * now, the console's route guard next). An auditor reads everything and changes nothing; an operator
 * uploads, plans and applies; an approver does what an operator does and also approves a plan.
 */

/** The roles an account can have (`lpsync users add NAME --role …`). */
export const ROLES = ['operator', 'approver', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a person can ask lpsync to do, in their words: `read` (runs, a run's records and requests,
 * history, audit verify and export, doctor, drift, downloads), `upload` (a workbook, and checking it),
 * `plan` (and save the plan), `apply` (an approved plan; stop and resume a run), `approve` (a plan
 * someone else made).
 */
export const PERMISSIONS = ['read', 'upload', 'plan', 'apply', 'approve'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The table a route guard consults: every permission of each role, nothing implied. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  auditor: ['read'],
  operator: ['read', 'upload', 'plan', 'apply'],
  approver: ['read', 'upload', 'plan', 'apply', 'approve'],
};

/** Whether `role` may do `permission`. */
export function may(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** A role as typed, when it is one. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
