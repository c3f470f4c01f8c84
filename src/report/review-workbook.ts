/**
 * The review workbook (`plan --out review.xlsx`): the change as a change board reads it — one row per
 * action with what it touches, each field before → after, the reasons and the request that will be sent
 * (secrets masked), and a Summary with the counts and the plan's SHA-256. Printable: A4 landscape, one
 * page wide, rows as tall as their wrapped text.
 */
import { writeAtomicallyAsync } from './atomic-file.js';
import ExcelJS from 'exceljs';
import type { SavedAction, SavedPlan } from '../plan/plan-file.js';
import type { Reason } from '../plan/types.js';
import { linesOfRow, PAGE_SETUP, rowHeight } from './layout.js';

export interface ReviewInput {
  saved: SavedPlan;
  /** SHA-256 of the plan file's text. */
  sha256: string;
}

const COLUMNS: ReadonlyArray<readonly [string, number]> = [
  ['Customer', 18],
  ['SIP connection', 18],
  ['Action', 16],
  ['Rows', 16],
  ['Changes (before → after)', 46],
  ['Reasons', 40],
  ['Request (secrets masked)', 60],
];

const WRAP: Partial<ExcelJS.Alignment> = { wrapText: true, vertical: 'top' };
const A4 = 9;

/** Excel's limit for one cell; a string is written as text, never as a formula. */
const MAX_CELL = 32_767;
function text(value: string): string {
  return value.length > MAX_CELL
    ? `${value.slice(0, MAX_CELL - 40)}… (cut: longer than a cell holds)`
    : value;
}

function change(reason: Reason): string | null {
  if (!reason.field || (reason.before === undefined && reason.after === undefined)) return null;
  return `${reason.field}: ${reason.before ?? '(not set)'} → ${reason.after ?? '(not set)'}`;
}

function requestText(action: SavedAction): string {
  if (!action.request) return '';
  const lines = [
    `${action.request.method} ${action.request.path}`,
    JSON.stringify(action.request.body, null, 1),
  ];
  if (action.followUp) lines.push('then Modify SIP Connection:', JSON.stringify(action.followUp, null, 1));
  return lines.join('\n');
}

function actionCells(action: SavedAction): string[] {
  const changes = action.reasons.map(change).filter((c): c is string => c !== null);
  const reasons = action.reasons.filter((r) => change(r) === null).map((r) => r.message);
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

function addSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: ReadonlyArray<readonly [string, number]>,
) {
  const ws = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { ...PAGE_SETUP, paperSize: A4 },
  });
  ws.columns = columns.map(([header, width]) => ({ header, key: header, width }));
  ws.getRow(1).font = { bold: true };
  return ws;
}

function addRow(ws: ExcelJS.Worksheet, cells: string[], widths: readonly number[]): void {
  const row = ws.addRow(cells.map((c) => (c === '' ? null : text(c))));
  row.alignment = WRAP;
  const height = rowHeight(linesOfRow(cells.map((c, i) => [c || null, widths[i] ?? 10] as const)));
  if (height !== undefined) row.height = height;
  row.commit();
}

/** Writes the review workbook atomically (a temp file renamed into place). */
export async function writeReviewWorkbook(path: string, input: ReviewInput): Promise<void> {
  await writeAtomicallyAsync(path, async (tmp) => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: tmp,
      useStyles: true,
      useSharedStrings: false,
    });
    const plan = input.saved;
    const actions = addSheet(workbook, 'Actions', COLUMNS);
    const widths = COLUMNS.map(([, w]) => w);
    // What the board approves is what changes: unchanged and left-out rows are in the Summary's counts.
    for (const action of plan.actions.filter(
      (a) => a.request !== null || a.kind === 'conflict' || a.kind === 'busy',
    ))
      addRow(actions, actionCells(action), widths);
    actions.commit();
    const summaryColumns = [
      ['Item', 28],
      ['Value', 100],
    ] as const;
    const summary = addSheet(workbook, 'Summary', summaryColumns);
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
      ['To apply exactly this', 'lpsync apply --plan <this plan file> <the same workbook>'],
    ];
    for (const r of rows)
      addRow(
        summary,
        r,
        summaryColumns.map(([, w]) => w),
      );
    summary.commit();
    await workbook.commit();
  });
}
