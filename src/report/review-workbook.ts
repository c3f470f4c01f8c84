/**
 * The review workbook (`plan --out review.xlsx`): the change as a change board reads it — one row per
 * action with what it touches, each field before → after, the reasons and the request that will be sent
 * (secrets masked), and a Summary with the counts and the plan's SHA-256. Printable: landscape on the
 * locale's paper, one page wide, rows as tall as their wrapped text. Text taller than a row can be
 * (Excel's 409 points) goes on in rows below, marked "(continued)": nothing is hidden on screen or paper.
 */
import { writeAtomicallyAsync } from './atomic-file.js';
import type ExcelJS from 'exceljs';
import { workbookWriter } from './workbook-writer.js';
import type { SavedAction, SavedPlan } from '../plan/plan-file.js';
import type { Reason } from '../plan/types.js';
import { SECRET_DIFFERS } from '../plan/diff.js';
import { FOOTER, pageSetup, rowHeight, type Paper } from './layout.js';
import { HEADER_FONT, noteSheet } from './sheet-format.js';
import { splitLines, textLines } from './text-lines.js';

export interface ReviewInput {
  saved: SavedPlan;
  /** SHA-256 of the plan file's text. */
  sha256: string;
  /** The paper it prints on (the CLI reads the locale); default A4. */
  paper?: Paper;
}

// Narrow enough to print at about 9 pt one page wide; the long texts wrap.
const COLUMNS: ReadonlyArray<readonly [string, number]> = [
  ['Customer', 14],
  ['SIP connection', 16],
  ['Action', 13],
  ['Rows', 17],
  ['Changes (before → after)', 36],
  ['Reasons', 28],
  ['Request (secrets masked)', 54],
];
const REQUEST_WIDTH = 54;
const WIDTHS = COLUMNS.map(([, w]) => w);
/** The columns that repeat on a continuation row, so that each printed row names its target. */
const NAMED = 2;

const WRAP: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };

/** Lines in one row at most: 26 × 15 pt stays under Excel's 409-point row. */
const LINES_PER_ROW = 26;

/** What the Actions sheet says when the plan changes nothing. */
export const NOTHING_TO_DO =
  'Nothing to do: every row of the workbook matches the Live Platform (no create, add or modify; no conflict, nothing busy).';

/** `field: before → after`; a secret only as "differs (secret, not shown)". Null for a reason without a field. */
function change(reason: Reason): string | null {
  if (!reason.field || (reason.before === undefined && reason.after === undefined)) return null;
  if (reason.before === SECRET_DIFFERS && reason.after === SECRET_DIFFERS)
    return `${reason.field}: differs (secret, not shown)`;
  return `${reason.field}: ${reason.before ?? '(not set)'} → ${reason.after ?? '(not set)'}`;
}

function requestText(action: SavedAction): string {
  if (!action.request) return '';
  const lines = [`${action.request.method} ${action.request.path}`, readableJson(action.request.body)];
  if (action.followUp) lines.push('then Modify SIP Connection:', readableJson(action.followUp));
  return lines.join('\n');
}

/**
 * JSON as a reviewer reads it: a value that fits the column, or a list's object of plain values (a
 * dial-plan prefix `{"prefix": "+3222", "index": 1, "active": true}`), on one line; a larger one opens,
 * one member a line.
 */
export function readableJson(value: unknown, indent = '', element = false): string {
  // One line, a space after each `:` and `,` (as the vendor pages write bodies), none inside brackets.
  const flat = (JSON.stringify(value, null, 1) ?? 'null')
    .replace(/\n\s*/g, ' ')
    .replace(/([[{]) | ([\]}])/g, '$1$2');
  if (value === null || typeof value !== 'object') return flat;
  const plain = Object.values(value).every((v) => v === null || typeof v !== 'object');
  if (indent.length + flat.length <= REQUEST_WIDTH - 1 || (plain && element && !Array.isArray(value)))
    return flat;
  const inner = `${indent} `;
  const members = Array.isArray(value)
    ? value.map((v) => `${inner}${readableJson(v, inner, true)}`)
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${readableJson(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${members.join(',\n')}\n${indent}${close}`;
}

/** The cells of one action: who, what, which rows, each change, every reason, the request. */
function actionCells(action: SavedAction): string[] {
  const changes = action.reasons.map(change).filter((c): c is string => c !== null);
  const reasons = [...new Set(action.reasons.map((r) => r.message))];
  if (action.dependsOn.length) reasons.push(`after ${action.dependsOn.join(', ')} succeeds`);
  return [
    action.target.customerShortName,
    action.target.siteName ?? '',
    action.kind,
    action.rows.map((r) => `${r.sheet} ${r.row}`).join(', '),
    changes.join('\n'),
    reasons.join('\n'),
    requestText(action),
  ];
}

/**
 * The rows an action takes: its cells, and when a cell holds more lines than a row can show, rows
 * below it with the rest, naming the target again and the action as "(continued)".
 */
export function actionRows(cells: readonly string[], widths: readonly number[]): string[][] {
  const chunks = cells.map((c, i) =>
    i < NAMED || c === '' ? [c] : splitLines(textLines(c, widths[i] ?? 10), LINES_PER_ROW).map((p) => p.text),
  );
  const rows = Math.max(...chunks.map((c) => c.length));
  return Array.from({ length: rows }, (_, r) =>
    cells.map((cell, i) => {
      if (r === 0) return chunks[i]![0] ?? '';
      if (i < NAMED) return cell;
      if (i === NAMED) return `${cell} (continued)`;
      return chunks[i]![r] ?? '';
    }),
  );
}

/** The note sheet of sheet-format.ts, written by exceljs. */
function addNoteSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  note: string,
  paper: Paper,
) {
  const spec = noteSheet(note, paper);
  const ws = workbook.addWorksheet(name, {
    pageSetup: spec.pageSetup,
    headerFooter: { oddFooter: spec.footer },
  });
  ws.columns = [{ width: spec.width }];
  const row = ws.addRow([note]);
  row.getCell(1).style = spec.style;
  row.commit();
  ws.commit();
}

function addSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: ReadonlyArray<readonly [string, number]>,
  paper: Paper,
) {
  const ws = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: pageSetup(paper),
    headerFooter: { oddFooter: FOOTER },
  });
  ws.columns = columns.map(([header, width]) => ({ header, key: header, width }));
  ws.getRow(1).font = HEADER_FONT;
  return ws;
}

function addRow(ws: ExcelJS.Worksheet, cells: string[], widths: readonly number[]): void {
  const row = ws.addRow(cells.map((c) => (c === '' ? null : c)));
  row.alignment = WRAP;
  let lines = 1;
  cells.forEach((c, i) => (lines = Math.max(lines, c ? textLines(c, widths[i] ?? 10).length : 1)));
  const height = rowHeight(lines);
  if (height !== undefined) row.height = height;
  row.commit();
}

/** Writes the review workbook atomically (a temp file renamed into place). */
export async function writeReviewWorkbook(path: string, input: ReviewInput): Promise<void> {
  const paper = input.paper ?? 'A4';
  await writeAtomicallyAsync(path, async (tmp) => {
    const workbook = new (workbookWriter())({
      filename: tmp,
      useStyles: true,
      useSharedStrings: false,
    });
    const plan = input.saved;
    // What the board approves is what changes: unchanged and left-out rows are in the Summary's counts.
    const shown = plan.actions.filter(
      (a) => a.request !== null || a.kind === 'conflict' || a.kind === 'busy',
    );
    if (shown.length === 0) addNoteSheet(workbook, 'Actions', NOTHING_TO_DO, paper);
    else {
      const actions = addSheet(workbook, 'Actions', COLUMNS, paper);
      for (const action of shown)
        for (const row of actionRows(actionCells(action), WIDTHS)) addRow(actions, row, WIDTHS);
      actions.commit();
    }
    writeSummary(workbook, input, paper);
    await workbook.commit();
  });
}

function writeSummary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, input: ReviewInput, paper: Paper): void {
  const plan = input.saved;
  const columns = [
    ['Item', 28],
    ['Value', 100],
  ] as const;
  const summary = addSheet(workbook, 'Summary', columns, paper);
  const rows: string[][] = [
    ['Plan SHA-256', input.sha256],
    ['Made', plan.createdAt],
    ['lpsync version', plan.lpsyncVersion],
    ['Live Platform base URL', plan.baseUrl],
    ...plan.inputs.map((i) => ['Input file SHA-256', `${i.sha256}  ${i.file}`]),
    ['Mode', plan.options.mode],
    ['Selection (--only)', plan.options.only.join(' ') || 'every row'],
    ['Write limit (--limit)', plan.options.limit === null ? 'none' : String(plan.options.limit)],
    ...Object.entries(plan.counts)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => [`Actions: ${kind}`, String(n)]),
    ['Drift (on the platform, not in the sheet)', String(plan.drift.length)],
    ['Long cells', 'a cell taller than a row can be goes on in the rows below it, marked "(continued)"'],
    ['To apply exactly this', 'lpsync apply --plan <this plan file> <the same workbook>'],
  ];
  const widths = columns.map(([, w]) => w);
  for (const r of rows) addRow(summary, r, widths);
  summary.commit();
}
