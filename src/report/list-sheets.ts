/**
 * The Summary, Drift and Issues sheets of the results workbook. An empty Drift or Issues sheet says so
 * in a sentence instead of printing a header over nothing.
 */
import { ACTION_KINDS } from '../model/action-record.js';
import { describePlace } from '../model/issues.js';
import { isSecretColumn, MASK } from '../model/redact.js';
import { auditRows, planRows, ROW_STATUSES, withZeros } from './audit-rows.js';
import { describeConcurrency } from './concurrency.js';
import type { Paper } from './layout.js';
import { addListRow, addNoteSheet, addSheet, type Cell } from './sheet-format.js';
import type { ResultsWorkbookInput } from './types.js';
import type { XlsxFile } from './xlsx/xlsx-file.js';

type Workbook = XlsxFile;
type Text = (v: string) => string;

/** What the Drift and Issues sheets say when they have nothing to list. */
export const NO_DRIFT =
  'No drift: every service and SIP connection on the Live Platform is named in the sheet.';
export const NO_ISSUES = 'No issues: every row of the input was valid, without a warning.';

export async function writeSummarySheet(
  workbook: Workbook,
  input: ResultsWorkbookInput,
  text: Text,
  paper: Paper,
): Promise<void> {
  const s = input.summary;
  const widths = [28, 90, 10];
  const ws = await addSheet(workbook, 'Summary', { headers: ['Item', 'Value', 'Count'], widths, paper });
  const rows: Cell[][] = [
    ['Run id', s.runId, null],
    ['Command', s.command, null],
    ['Started', s.startedAt, null],
    ['Ended', s.endedAt, null],
    ['lpsync version', s.lpsyncVersion, null],
    ['Live Platform base URL', text(s.baseUrl), null],
    ...s.inputFiles.map((f): Cell[] => [`Input file SHA-256`, `${f.sha256}  ${text(f.file)}`, null]),
    ['Mode', s.scope.mode, null],
    ['Selection (--only)', s.scope.only.length ? text(s.scope.only.join(' ')) : 'every row', null],
    ['Write limit (--limit)', s.scope.limit === null ? 'none' : String(s.scope.limit), null],
    ['Plan applied', s.plan ? `${s.plan.sha256}  ${text(s.plan.file)}` : 'none (planned in this run)', null],
    ...planRows(s, text),
    ...auditRows(s, text),
    ['Rows', null, s.rows],
    ['Run ended', text(runEnded(s)), null],
    ['Exit code', null, s.exitCode ?? null],
    ['Drift items', null, s.drift],
    ...(s.concurrency
      ? [['Requests', describeConcurrency(s.concurrency), s.concurrency.requests] as Cell[]]
      : []),
    // Every status and kind, zeros included: "0 failed" is an answer too.
    ...withZeros(s.byStatus, ROW_STATUSES).map(([status, n]): Cell[] => ['Rows by status', status, n]),
    ...withZeros(s.byAction, ACTION_KINDS).map(([kind, n]): Cell[] => ['Actions by kind', kind, n]),
    ...Object.entries(s.byActionStatus).flatMap(([kind, inner]) =>
      Object.entries(inner).map(([status, n]): Cell[] => [
        'Actions by kind and status',
        `${kind} ${status}`,
        n,
      ]),
    ),
  ];
  if (s.beforeImage) rows.push(['Before-image (apply it to back out)', text(s.beforeImage), null]);
  if (s.resumeCommand) rows.push(['To finish this run', s.resumeCommand, null]);
  for (const r of rows) await addListRow(ws, r, widths, [1]);
}

/** How the run ended, in words: finished, or what stopped it. */
function runEnded(s: ResultsWorkbookInput['summary']): string {
  if (s.stoppedBy === null) return s.dryRun ? 'finished (dry run: nothing sent)' : 'finished';
  if (s.stoppedBy === 'max-errors') return 'stopped sending after --max-errors failures';
  if (s.stoppedBy === 'interrupted') return 'interrupted (Ctrl-C); requests in flight finished';
  return `stopped by a run-ending fault: ${s.fatalError ?? 'unknown'}`;
}

export async function writeDriftSheet(
  workbook: Workbook,
  input: ResultsWorkbookInput,
  text: Text,
  paper: Paper,
): Promise<void> {
  if (input.drift.length === 0) return addNoteSheet(workbook, 'Drift', NO_DRIFT, paper);
  // Narrow enough to print at 8 pt or more on Letter: the names and the message wrap, GUIDs fit whole.
  const widths = [10, 18, 37, 18, 37, 40];
  const headers = ['Kind', 'Customer Short Name', 'Customer GUID', 'Site Name', 'Site Id', 'Message'];
  const ws = await addSheet(workbook, 'Drift', { headers, widths, paper });
  for (const d of input.drift) {
    const values = [
      d.kind,
      text(d.customerShortName),
      d.customerGuid,
      d.siteName ? text(d.siteName) : null,
      d.siteId ?? null,
      text(d.message),
    ];
    await addListRow(ws, values, widths, [1, 3, 5]);
  }
}

export async function writeIssuesSheet(
  workbook: Workbook,
  input: ResultsWorkbookInput,
  text: Text,
  paper: Paper,
): Promise<void> {
  if (input.issues.length === 0) return addNoteSheet(workbook, 'Issues', NO_ISSUES, paper);
  // Narrow enough to print at 8 pt or more on Letter: place, rule, message and value wrap.
  const widths = [10, 35, 22, 60, 25];
  const headers = ['Severity', 'Place', 'Rule', 'Message', 'Value'];
  const ws = await addSheet(workbook, 'Issues', { headers, widths, paper });
  for (const i of input.issues) {
    const value = i.value === undefined ? null : i.column && isSecretColumn(i.column) ? MASK : text(i.value);
    await addListRow(
      ws,
      [i.severity, text(describePlace(i)), i.rule, text(i.message), value],
      widths,
      [1, 2, 3, 4],
    );
  }
}
