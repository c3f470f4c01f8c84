/**
 * Rules across the cells of one row: the fields a row needs (always, or for an Essentials customer),
 * columns for the other license, the Essentials site name, a dial plan's name. Compiled once per sheet
 * and license from the catalogue into a list of checks (they were a zod schema parsed per row), and
 * found in the same order: the catalogue's, then the two rules between cells.
 */
import { fieldsOf, type FieldSpec, type SheetName } from './catalogue.js';
import { shown } from './cell-issues.js';
import type { IssueRule } from './issue-rules.js';
import { issueAt, type InputIssue } from './issues.js';
import type { BoundRow } from './rows.js';
import type { License } from './types.js';

interface FieldRule {
  field: FieldSpec;
  /** The rule is broken when the field's cell is absent, or when it is present. */
  brokenWhen: 'absent' | 'present';
  rule: IssueRule;
  /** Fixed, or made from the column's header as written. */
  message: string | ((column: string) => string);
}

const compiled = new Map<string, readonly FieldRule[]>();

function rulesOf(sheet: SheetName, license: License | undefined): readonly FieldRule[] {
  const key = `${sheet}|${license ?? ''}`;
  let rules = compiled.get(key);
  if (!rules) compiled.set(key, (rules = compile(sheet, license)));
  return rules;
}

function compile(sheet: SheetName, license: License | undefined): FieldRule[] {
  const rules: FieldRule[] = [];
  for (const field of fieldsOf(sheet)) {
    if (field.required === 'always')
      rules.push({ field, brokenWhen: 'absent', rule: 'required', message: `${field.header} is required` });
    if (field.required === 'Essentials' && license === 'Essentials')
      rules.push({
        field,
        brokenWhen: 'absent',
        rule: 'required',
        message: `${field.header} is required for an Essentials customer`,
      });
    if (field.license === 'OC Essentials' && license === 'Essentials')
      rules.push({
        field,
        brokenWhen: 'present',
        rule: 'oc-only-column',
        message: (column) =>
          `${column} applies to OC Essentials only; clear it or set License to OC Essentials`,
      });
  }
  return rules;
}

function columnOf(row: BoundRow, field: FieldSpec): string {
  return row.fields.get(field.path)?.column ?? field.header;
}

function issueOf(row: BoundRow, field: FieldSpec, rule: IssueRule, message: string): InputIssue {
  const cell = row.fields.get(field.path);
  return issueAt(
    { ...row.origin, column: columnOf(row, field) },
    'error',
    rule,
    message,
    cell ? shown(cell.text, field.secret === true) : undefined,
  );
}

/** The row rules a row breaks, in order; `byPath` is the sheet's catalogue by model path. */
export function rowRuleIssues(
  sheet: SheetName,
  row: BoundRow,
  license: License | undefined,
  byPath: ReadonlyMap<string, FieldSpec>,
): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const r of rulesOf(sheet, license)) {
    if (row.fields.has(r.field.path) !== (r.brokenWhen === 'present')) continue;
    const message = typeof r.message === 'string' ? r.message : r.message(columnOf(row, r.field));
    issues.push(issueOf(row, r.field, r.rule, message));
  }
  if (sheet === 'Customers' && license === 'Essentials') {
    const site = row.fields.get('siteName');
    const shortName = row.fields.get('shortName');
    if (site && shortName && !site.fault && site.text !== shortName.text)
      issues.push(
        issueOf(
          row,
          byPath.get('siteName')!,
          'essentials-site-name',
          `an Essentials customer's SIP connection is always named after its short name (${shortName.text}); leave Site Name empty or use ${shortName.text}`,
        ),
      );
  }
  if (
    sheet === 'SipConnections' &&
    row.fields.has('site.dialPlanPrefixes') &&
    !row.fields.has('site.dialPlanName')
  )
    issues.push(
      issueOf(
        row,
        byPath.get('site.dialPlanName')!,
        'dial-plan-name-required',
        'Dial Plan Name is required when Dial Plan Prefixes is filled',
      ),
    );
  return issues;
}
