/**
 * Blank means keep: on a row that matches an existing service or SIP connection, a blank cell in an
 * optional column or a secret leaves what the platform has. The planner never compares or sends such a
 * field (a row's absent field is "not managed", src/model/types.ts); this module says so, once per
 * column, with how many existing targets it kept: "Carrier Password blank on 40 existing SIP
 * connections: kept as they are". Validate, which cannot know what exists, says the rule once per secret
 * column left blank.
 */
import { headerMeaning, type FieldSpec, type SheetName } from '../model/catalogue.js';
import { isSecretKey } from '../model/redact.js';
import type { CustomerRow, Origin, SheetRow, WorkbookRows } from '../model/types.js';
import type { Plan, PlannedAction } from './types.js';

/** A sheet of the input as read: its headers as written, and each row's text by header. */
export interface InputSheet {
  sheet: SheetName;
  headers: readonly string[];
  rows: ReadonlyArray<{ values: Readonly<Record<string, string>> }>;
}

/** One column left blank on rows that match what exists. */
export interface BlankKept {
  sheet: SheetName;
  /** As written in the file. */
  header: string;
  /** Existing services (Customers) or SIP connections (SipConnections) whose value was kept. */
  count: number;
}

/** A column of the input the rule is about: a catalogue field that may be blank, or a script variable. */
type Column = { header: string; field: FieldSpec } | { header: string; key: string };

/** The optional columns of a sheet present in its header: not a key, not required on every row. */
function columnsOf(sheet: InputSheet): Column[] {
  const out: Column[] = [];
  const seen = new Set<string>();
  for (const header of sheet.headers) {
    const meaning = headerMeaning(sheet.sheet, header);
    const id = meaning.kind === 'field' ? meaning.field.path : meaning.kind === 'custom' ? meaning.key : '';
    if (!id || seen.has(id)) continue;
    seen.add(id);
    if (meaning.kind === 'custom') out.push({ header, key: meaning.key });
    else if (
      meaning.kind === 'field' &&
      meaning.field.required !== 'always' &&
      meaning.field.path !== 'siteName'
    )
      out.push({ header, field: meaning.field });
  }
  return out;
}

/** The row's value of a model path (`site.m365.onboardingScript`), undefined when the cell was blank. */
function valueAt(row: SheetRow, path: string): unknown {
  let node: unknown = row;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function isBlank(row: SheetRow, column: Column): boolean {
  if ('key' in column) return row.site.customVariables[column.key] === undefined;
  // An OC-only column is blank on every Essentials row: there it means nothing, not "keep".
  if (column.field.license === 'OC Essentials' && (row as CustomerRow).license === 'Essentials') return false;
  return valueAt(row, column.field.path) === undefined;
}

/** Actions whose target exists: what they leave blank is kept. */
function onExisting(action: PlannedAction): boolean {
  if (action.kind === 'conflict') return false;
  return action.siteGuid !== undefined;
}

const keyOf = (o: Origin) => `${o.file}\u0000${o.sheet}\u0000${o.row}`;

/** Per column present in the input, how many rows matching an existing target left it blank. */
export function blankKept(plan: Plan, rows: WorkbookRows, sheets: readonly InputSheet[]): BlankKept[] {
  const byOrigin = new Map<string, SheetRow>();
  for (const row of rows.customers) byOrigin.set(keyOf(row.origin), row);
  for (const row of rows.sites) byOrigin.set(keyOf(row.origin), row);
  const columns = new Map<SheetName, Column[]>();
  for (const sheet of sheets) if (!columns.has(sheet.sheet)) columns.set(sheet.sheet, columnsOf(sheet));
  const counts = new Map<string, BlankKept>();
  for (const action of plan.actions) {
    if (!onExisting(action)) continue;
    const row = action.rows[0] && byOrigin.get(keyOf(action.rows[0]));
    if (!row) continue;
    const sheet: SheetName = row.kind === 'customer' ? 'Customers' : 'SipConnections';
    for (const column of columns.get(sheet) ?? []) {
      if (!isBlank(row, column)) continue;
      const id = `${sheet}\u0000${column.header}`;
      const kept = counts.get(id) ?? { sheet, header: column.header, count: 0 };
      kept.count += 1;
      counts.set(id, kept);
    }
  }
  return [...counts.values()];
}

/** "Carrier Password blank on 40 existing SIP connections: kept as they are" (Customers: services). */
export function blankKeptLine(kept: BlankKept): string {
  const what =
    kept.sheet === 'Customers'
      ? `existing service${kept.count === 1 ? '' : 's'}`
      : `existing SIP connection${kept.count === 1 ? '' : 's'}`;
  return `${kept.header} blank on ${kept.count} ${what}: kept as ${kept.count === 1 ? 'it is' : 'they are'}`;
}

/** The plan's paragraph on blank cells, or '' when no row that matches an existing target left one blank. */
export function blankKeptText(kept: readonly BlankKept[]): string {
  if (!kept.length) return '';
  return [
    'Blank means keep: a blank cell on a row that matches an existing service or SIP connection leaves what the Live Platform has (not compared, never sent):',
    ...kept.map((k) => `  ${k.sheet}: ${blankKeptLine(k)}`),
  ].join('\n');
}

/**
 * Validate's note, once per secret column with blank cells (it cannot know which rows exist): on an
 * existing target the secret is kept, a new one is created without it.
 */
export function blankSecretNotes(sheets: readonly InputSheet[]): string[] {
  const notes: string[] = [];
  for (const sheet of sheets) {
    for (const header of sheet.headers) {
      const meaning = headerMeaning(sheet.sheet, header);
      const secret =
        (meaning.kind === 'field' && meaning.field.secret === true) ||
        (meaning.kind === 'custom' && isSecretKey(meaning.key));
      if (!secret) continue;
      const blank = sheet.rows.filter((r) => (r.values[header] ?? '') === '').length;
      if (blank > 0)
        notes.push(
          `${header} is blank on ${blank} row${blank === 1 ? '' : 's'} of ${sheet.sheet}: where the service or SIP connection exists, the Live Platform keeps its value (blank means keep; nothing is sent); a new one is created without it.`,
        );
    }
  }
  return notes;
}
