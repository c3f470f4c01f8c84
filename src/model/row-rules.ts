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
import { cellAt, fieldIndex, indexOfField, type BoundRow } from './bound-row.js';
import type { License } from './types.js';

interface FieldRule {
  field: FieldSpec;
  /** The field's index in its sheet's catalogue (where a row holds its cell). */
  index: number;
  /** The rule is broken when the field's cell is absent, or when it is present. */
  brokenWhen: 'absent' | 'present';
  rule: IssueRule;
  /** Fixed, or made from the column's header as written. */
  message: string | ((column: string) => string);
}

// By sheet, then by license (none for SipConnections): looked up without building a key a row.
const compiled = new Map<SheetName, Map<License | undefined, readonly FieldRule[]>>();

function rulesOf(sheet: SheetName, license: License | undefined): readonly FieldRule[] {
  let bySheet = compiled.get(sheet);
  if (!bySheet) compiled.set(sheet, (bySheet = new Map<License | undefined, readonly FieldRule[]>()));
  let rules = bySheet.get(license);
  if (!rules) bySheet.set(license, (rules = compile(sheet, license)));
  return rules;
}

function compile(sheet: SheetName, license: License | undefined): FieldRule[] {
  const rules: FieldRule[] = [];
  for (const field of fieldsOf(sheet)) {
    const index = indexOfField(sheet, field);
    if (field.required === 'always')
      rules.push({
        field,
        index,
        brokenWhen: 'absent',
        rule: 'required',
        message: `${field.header} is required`,
      });
    if (field.required === 'Essentials' && license === 'Essentials')
      rules.push({
        field,
        index,
        brokenWhen: 'absent',
        rule: 'required',
        message: `${field.header} is required for an Essentials customer`,
      });
    if (field.license === 'OC Essentials' && license === 'Essentials')
      rules.push({
        field,
        index,
        brokenWhen: 'present',
        rule: 'oc-only-column',
        message: (column) =>
          `${column} applies to OC Essentials only; clear it or set License to OC Essentials`,
      });
  }
  return rules;
}

function columnOf(row: BoundRow, field: FieldSpec, index: number): string {
  return cellAt(row, index)?.column ?? field.header;
}

function issueOf(
  row: BoundRow,
  field: FieldSpec,
  index: number,
  rule: IssueRule,
  message: string,
): InputIssue {
  const cell = cellAt(row, index);
  return issueAt(
    { ...row.origin, column: columnOf(row, field, index) },
    'error',
    rule,
    message,
    cell ? shown(cell.text, field.secret === true) : undefined,
  );
}

/** The catalogue places of the fields the two rules between cells read. */
const CUSTOMER_SHORT_NAME = fieldIndex('Customers', 'shortName');
const CUSTOMER_SITE_NAME = fieldIndex('Customers', 'siteName');
const DIAL_PLAN_NAME = fieldIndex('SipConnections', 'site.dialPlanName');
const DIAL_PLAN_PREFIXES = fieldIndex('SipConnections', 'site.dialPlanPrefixes');

/** The row rules a row breaks, in order. */
export function rowRuleIssues(sheet: SheetName, row: BoundRow, license: License | undefined): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const r of rulesOf(sheet, license)) {
    if ((row.cells[r.index] !== undefined) !== (r.brokenWhen === 'present')) continue;
    const message = typeof r.message === 'string' ? r.message : r.message(columnOf(row, r.field, r.index));
    issues.push(issueOf(row, r.field, r.index, r.rule, message));
  }
  if (sheet === 'Customers' && license === 'Essentials') {
    const site = row.cells[CUSTOMER_SITE_NAME];
    const shortName = row.cells[CUSTOMER_SHORT_NAME];
    if (site && shortName && !site.fault && site.text !== shortName.text)
      issues.push(
        issueOf(
          row,
          fieldsOf('Customers')[CUSTOMER_SITE_NAME]!,
          CUSTOMER_SITE_NAME,
          'essentials-site-name',
          `an Essentials customer's SIP connection is always named after its short name (${shortName.text}); leave Site Name empty or use ${shortName.text}`,
        ),
      );
  }
  if (
    sheet === 'SipConnections' &&
    row.cells[DIAL_PLAN_PREFIXES] !== undefined &&
    row.cells[DIAL_PLAN_NAME] === undefined
  )
    issues.push(
      issueOf(
        row,
        fieldsOf('SipConnections')[DIAL_PLAN_NAME]!,
        DIAL_PLAN_NAME,
        'dial-plan-name-required',
        'Dial Plan Name is required when Dial Plan Prefixes is filled',
      ),
    );
  return issues;
}
