import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { MAIN, nodeWarnings, xlsxText } from '../e2e/cli-helpers.js';

export interface CliResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  done: Promise<CliResult>;
}

/**
 * The compiled CLI as a child process with exactly `env` (plus PATH and HOME): nothing inherited from
 * the caller's LPSYNC_*, stdio piped, so it logs as under cron (JSON lines, no TTY).
 */
export function spawnCli(args: string[], cwd: string, env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve, reject) =>
    child.on('close', (code, signal) => {
      const warned = nodeWarnings(stderr);
      if (warned.length > 0)
        reject(new Error(`lpsync ${args.join(' ')} made Node warn:\n${warned.join('\n')}`));
      else resolve({ args, code, signal, stdout, stderr });
    }),
  );
  return { child, done };
}

/** One file's content as lpsync left it: raw bytes, or for an .xlsx every XML part unzipped. */
export interface Capture {
  label: string;
  bytes: Buffer;
}

/** Every file under `dir` except `skip` (the inputs), read now; an .xlsx is unzipped so its text can be searched. */
export async function captureFiles(dir: string, when: string, skip: Set<string>): Promise<Capture[]> {
  const out: Capture[] = [];
  for (const path of walk(dir)) {
    if (skip.has(path)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      continue; // Removed between the listing and the read (a -wal at checkpoint).
    }
    const label = `${when}: ${relative(dir, path)}`;
    if (path.endsWith('.xlsx')) {
      try {
        out.push({ label: `${label} (unzipped)`, bytes: Buffer.from(await xlsxText(path), 'utf8') });
      } catch {
        // A report still being written: its raw bytes are searched instead.
        out.push({ label, bytes });
      }
    } else out.push({ label, bytes });
  }
  return out;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue; // Gone between the listing and the look.
    }
    if (isDir) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** Each way a secret could be written down: as is, URL-encoded, base64, JSON-escaped. */
export function spellings(secret: string): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''),
    JSON.stringify(secret).slice(1, -1),
  ]);
  return [...forms].filter((f) => f.length >= 6);
}

/** `where: needle` for every needle found in any capture; empty when none leaked. */
export function findLeaks(captures: Capture[], needles: Map<string, string>): string[] {
  const leaks: string[] = [];
  for (const capture of captures) {
    for (const [needle, name] of needles) {
      if (capture.bytes.includes(Buffer.from(needle, 'utf8'))) leaks.push(`${capture.label}: ${name}`);
    }
  }
  return leaks;
}

export interface JournalEntry {
  status: string;
  kind: string;
}

/** The journal as another process sees it now; empty while the store does not exist yet or is busy. */
export function readJournal(state: string): JournalEntry[] {
  if (!existsSync(state)) return [];
  try {
    const db = new Database(state, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT status, kind FROM journal').all() as JournalEntry[];
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

/** The pid in the lock row as another process sees it; null when free or not readable yet. */
export function lockPid(state: string): number | null {
  if (!existsSync(state)) return null;
  try {
    const db = new Database(state, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT pid FROM lock WHERE id = 1').get() as { pid: number } | undefined;
      return row?.pid ?? null;
    } catch {
      return null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `ready` every 20 ms until it holds or `limitMs` passed; returns whether it held. */
export async function waitUntil(ready: () => boolean, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (ready()) return true;
    await sleep(20);
  }
  return ready();
}
