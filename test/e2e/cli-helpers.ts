import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { textOf } from '../../src/model/text.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const SAMPLE = join(ROOT, 'samples', 'customers.xlsx');

export interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * The real CLI as a child process, talking to `baseUrl` with the demo token; nothing inherited from LPSYNC_* of
 * the caller. With `input`, that is its standard input (a pipe, not a terminal), else it has none.
 */
export function startCli(
  args: string[],
  options: { cwd: string; baseUrl: string; env?: Record<string, string>; input?: string },
): CliRun {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LPSYNC_BASE_URL: options.baseUrl,
    LPSYNC_TOKEN: 'demo-token',
    ...options.env,
  };
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: options.cwd,
    env,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((res, rej) =>
    child.on('close', (code, signal) => {
      const warned = nodeWarnings(stderr);
      if (warned.length > 0) rej(new Error(`lpsync ${args.join(' ')} made Node warn:\n${warned.join('\n')}`));
      else res({ code, signal, stdout, stderr });
    }),
  );
  return { child, done };
}

/**
 * Node's own warnings in a process's stderr (`(node:123) MaxListenersExceededWarning: …`,
 * `(node:123) [DEP0040] DeprecationWarning: …`): a spawned lpsync must print none.
 */
export function nodeWarnings(stderr: string): string[] {
  return stderr.match(/^\(node:\d+\) (?:\[\w+\] )?\w*Warning: .*$/gm) ?? [];
}

export function runCli(
  args: string[],
  options: { cwd: string; baseUrl: string; env?: Record<string, string>; input?: string },
) {
  return startCli(args, options).done;
}

/** The `Report: <path>` the CLI printed. */
export function reportPathOf(stdout: string, cwd: string): string {
  const m = /Report: (.+)$/m.exec(stdout);
  if (!m) throw new Error(`no report path in:\n${stdout}`);
  return resolve(cwd, m[1]!.trim());
}

/** Per input sheet: rows (without the header) and the Status column's values. */
export async function readResults(
  path: string,
): Promise<Map<string, { rows: number; statuses: string[]; actions: string[] }>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const out = new Map<string, { rows: number; statuses: string[]; actions: string[] }>();
  for (const ws of book.worksheets) {
    if (ws.name !== 'Customers' && ws.name !== 'SipConnections') continue;
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const statusCol = header.indexOf('Status');
    const actionCol = header.indexOf('Action');
    const statuses: string[] = [];
    const actions: string[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      statuses.push(textOf(row.getCell(statusCol).value));
      actions.push(textOf(row.getCell(actionCol).value));
    });
    out.set(ws.name, { rows: ws.actualRowCount - 1, statuses, actions });
  }
  return out;
}

/** Every XML part of an .xlsx, concatenated: for "no secret anywhere in the file". */
export async function xlsxText(path: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  let text = '';
  for (const name of Object.keys(zip.files)) text += await zip.files[name]!.async('string');
  return text;
}

/** Write requests the simulator answered, by route. */
export function writeCount(requests: Record<string, number>): number {
  return Object.entries(requests)
    .filter(([route]) => /^(POST|PATCH|PUT|DELETE) \/api\//.test(route))
    .reduce((n, [, v]) => n + v, 0);
}
