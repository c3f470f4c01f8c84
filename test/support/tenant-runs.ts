/**
 * The commands as a face calls them (src/run/index.ts), against a simulator on a loopback port: export,
 * plan and apply with the options a person would give, for the export, blank-means-keep and backout tests.
 */
import { hostname } from 'node:os';
import ExcelJS from 'exceljs';
import { silentLog } from '../../src/model/log.js';
import { createRedactor } from '../../src/model/redact.js';
import * as run from '../../src/run/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { simulatorConnection } from './connection.js';

const NOW = () => new Date('2026-11-27T02:15:00Z');

export function exportTenant(sim: RunningSimulator, out: string, more: Partial<run.ExportOptions> = {}) {
  return run.exportTenant({
    connection: simulatorConnection(sim.url),
    format: 'xlsx',
    out,
    log: silentLog,
    redactor: createRedactor(),
    lpsyncVersion: 'test',
    now: NOW,
    ...more,
  });
}

/** `lpsync plan`: the plan, and the columns it kept; throws on an invalid input, listing its first issues. */
export async function planTenant(sim: RunningSimulator, source: run.InputSource, statePath: string) {
  const result = await run.plan({
    source,
    connection: simulatorConnection(sim.url),
    statePath,
    shape: run.planShape({ only: [] }),
    adopt: false,
    outputs: [],
    log: silentLog,
    redactor: createRedactor(),
    lpsyncVersion: 'test',
    now: NOW,
  });
  if (result.kind !== 'planned')
    throw new Error(`invalid input: ${JSON.stringify(result.loaded.issues.slice(0, 5), null, 1)}`);
  return result;
}

/** `lpsync apply` of a workbook, its results workbook at `reportPath`. */
export async function applyTenant(
  sim: RunningSimulator,
  source: run.InputSource,
  paths: { statePath: string; reportPath: string },
) {
  const result = await run.apply({
    command: 'apply',
    request: {
      connection: simulatorConnection(sim.url),
      source,
      statePath: paths.statePath,
      reportPath: paths.reportPath,
      reportsDir: paths.reportPath,
      dryRun: false,
      adopt: false,
      skipInvalid: false,
      ignoreUnreadSheets: false,
      shape: run.planShape({ only: [] }),
    },
    runEnd: { notify: [], notifyFormat: 'json', notifyOn: 'failure' },
    log: silentLog,
    redactor: createRedactor(),
    pid: process.pid,
    host: hostname(),
    invocation: { user: 'test', host: hostname(), pid: process.pid, commandLine: ['lpsync', 'apply'] },
    lpsyncVersion: 'test',
    program: 'lpsync',
    paper: 'A4',
    now: NOW,
  });
  if (result.kind !== 'applied')
    throw new Error(`apply ended ${result.kind}: ${String('error' in result ? result.error : '')}`);
  return result;
}

/** Write actions of a plan: what apply would send. */
export function writesOf(plan: run.Plan): number {
  const c = plan.counts;
  return c['create-customer'] + c['create-oc-service'] + c['add-site'] + c['modify-site'];
}

/** Every sheet of a workbook as rows of cell values (as exceljs reads them), the header row first. */
export async function workbookCells(path: string): Promise<Record<string, unknown[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const out: Record<string, unknown[][]> = {};
  for (const ws of book.worksheets) {
    const rows: unknown[][] = [];
    ws.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
    out[ws.name] = rows;
  }
  return out;
}

/** A sheet's rows as header → value. */
export function rowsByHeader(cells: unknown[][]): Array<Record<string, unknown>> {
  const [header = [], ...rows] = cells;
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i] ?? null])));
}

/** Writes a two-sheet workbook (Customers, SipConnections) of header → value rows, as a person would fill it in. */
export async function writeWorkbook(
  path: string,
  sheets: Partial<Record<'Customers' | 'SipConnections', Array<Record<string, string | number>>>>,
): Promise<void> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    if (rows.length === 0) continue;
    const ws = book.addWorksheet(name);
    const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    ws.addRow(headers);
    for (const row of rows) ws.addRow(headers.map((h) => row[h] ?? null));
  }
  await book.xlsx.writeFile(path);
}
