/** Every rule an input issue can name: a closed set, so a report or a test can rely on the codes. */
export const ISSUE_RULES = [
  // cells
  'required',
  'integer',
  'positive-integer',
  'grouped-number',
  'ambiguous-number',
  'number-convention',
  'scientific-notation',
  'number-too-long',
  'number-in-phone-column',
  'number-in-text-column',
  'number-shown-inexactly',
  'boolean',
  'license',
  'sbc-configuration-type',
  'ovoc-customer-type',
  'email',
  'uuid',
  'phone-e164',
  'dial-plan-prefix',
  'dial-plan-index',
  'dial-plan-active',
  'dial-plan-duplicate-index',
  'dial-plan-name-required',
  'short-name-length',
  'short-name-characters',
  'carrier-user-name-length',
  'carrier-password-length',
  'carrier-password-characters',
  'masked-secret',
  'control-character',
  'invisible-character',
  'secret-edge-character',
  'secret-text-formula',
  'cell-too-long',
  'date-not-allowed',
  'formula-error',
  'essentials-site-name',
  'invalid',
  // columns and headers
  'unknown-header',
  'duplicate-header',
  'value-without-header',
  'duplicate-cell',
  'duplicate-row',
  'column-not-for-sheet',
  'oc-only-column',
  'value-in-rejected-column',
  'header-not-found',
  'pandas-index-column',
  // rows across the sheet
  'duplicate-short-name',
  'duplicate-site',
  'customer-not-in-sheet',
  'look-alike-customer',
  'unknown-type',
  // the file and its sheets
  'csv-delimiter',
  'sheet-not-read',
  'hidden-sheet',
  'hidden-row',
  'formula-error-rows-skipped',
  'merged-cells',
  'nothing-to-apply',
  'too-many-issues',
  'open-in-excel',
] as const;
export type IssueRule = (typeof ISSUE_RULES)[number];

const KNOWN = new Set<string>(ISSUE_RULES);

/** A rule carried as a string (zod's issue params): itself when known, `invalid` otherwise. */
export function asIssueRule(rule: string | undefined): IssueRule {
  return rule !== undefined && KNOWN.has(rule) ? (rule as IssueRule) : 'invalid';
}
