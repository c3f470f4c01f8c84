/**
 * Property: a password is sent byte for byte as typed. Any printable Unicode string — spaces at the
 * ends, no-break spaces, ZWJ/ZWNJ, soft hyphens, bidi marks — written into a workbook by exceljs or
 * into a CSV file (quoted as RFC 4180 says), goes through lpsync's own path (loadWorkbook, plan,
 * apply, results workbook) against a real simulator on an OS-chosen port, and the body the simulator
 * received holds it identical. The results workbook that run writes masks it, so read back it is the
 * mask (refused as such); a non-secret text column of the same run reads back from it as written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivePlatformClient, type LivePlatformClient } from '../../src/api/index.js';
import { silentLogger } from '../../src/cli/logging.js';
import { excelTextFormula } from '../../src/input/cell-text.js';
import { loadWorkbook, type InputSource } from '../../src/input/index.js';
import { MASK, createRedactor } from '../../src/model/redact.js';
import { showsNothing, trimSpace } from '../../src/model/visible-text.js';
import { runApply } from '../../src/run/apply.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';

// What the issue names, and what pasted text carries.
const UNSEEN = [
  ' ',
  '\u00a0',
  '\u202f',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u00ad',
  '\u200e',
  '\u200f',
  '\u061c',
  '\u2060',
];
const unseen = fc.constantFrom(...UNSEEN);
const letter = (unit: 'grapheme' | 'grapheme-ascii') => fc.string({ unit, minLength: 1, maxLength: 1 });

/** Any printable Unicode text, heavy on the characters a person cannot see. */
const unicodeText = fc.string({
  unit: fc.oneof(
    { arbitrary: unseen, weight: 3 },
    { arbitrary: letter('grapheme'), weight: 5 },
    letter('grapheme-ascii'),
  ),
  minLength: 1,
  maxLength: 24,
});
/** A carrier password: printable ASCII with spaces, now and then a no-break space or a joiner (refused: wide). */
const carrierText = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.constant(' '), weight: 2 },
    { arbitrary: letter('grapheme-ascii'), weight: 12 },
    { arbitrary: fc.constantFrom('\u00a0', '\u200d'), weight: 1 },
  ),
  minLength: 1,
  maxLength: 30,
});

const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?E[+-]?\d+$/i;

type Expected = { sent: string } | { refused: string } | { absent: true };

/** What lpsync must do with a secret cell, by the documented rules (a cell that shows nothing is empty). */
function expectedSecret(text: string, writer: 'exceljs' | 'csv', carrier: boolean): Expected {
  if (showsNothing(text)) return { absent: true };
  if (writer === 'csv' && excelTextFormula(text) !== undefined) return { refused: 'secret-text-formula' };
  if (text === MASK) return { refused: 'masked-secret' };
  if (SCIENTIFIC.test(text)) return { refused: 'scientific-notation' };
  if (carrier && text.length > 50) return { refused: 'carrier-password-length' };
  if (carrier && /[^\x20-\x7e]/.test(text)) return { refused: 'carrier-password-characters' };
  return { sent: text };
}

interface Row {
  shortName: string;
  password: string;
  teamsSecret: string;
  fullName: string;
}

const HEADERS = [
  'License',
  'Short Name',
  'Configuration Name',
  'Licensed Users',
  'Full Name',
  'Carrier Password',
  'Teams QoS Application Secret',
];
const cellsOf = (r: Row) => [
  'OC Essentials',
  r.shortName,
  'OcEssential_IPGROUP_TYPE',
  '10',
  r.fullName,
  r.password,
  r.teamsSecret,
];

async function writeExceljs(path: string, rows: Row[]): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Customers');
  sheet.addRow(HEADERS);
  // Strings are written as text cells (a string that looks like a number stays the text typed).
  for (const row of rows) sheet.addRow(cellsOf(row));
  await book.xlsx.writeFile(path);
}

/** RFC 4180: every field quoted, quotes doubled, CRLF between records. */
function writeCsv(path: string, rows: Row[]): void {
  const line = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
  writeFileSync(path, [HEADERS, ...rows.map(cellsOf)].map(line).join('\r\n') + '\r\n', 'utf8');
}

let sim: RunningSimulator;
let client: LivePlatformClient;
let dir: string;
let runs = 0;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 21, taskDurationMs: 1 });
  client = createLivePlatformClient({
    baseUrl: sim.url,
    auth: { kind: 'token', token: 'demo-token' },
    logger: silentLogger(),
    redactor: createRedactor(),
    concurrency: 8,
    timeoutMs: 5_000,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    task: { pollIntervalMs: 5, maxPollIntervalMs: 20, timeoutMs: 10_000 },
  });
  dir = mkdtempSync(join(tmpdir(), 'lpsync-secret-roundtrip-'));
});

afterAll(async () => {
  client.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One run: the rows written by `writer`, applied through runApply; the bodies checked, the report read back. */
async function roundTrip(
  writer: 'exceljs' | 'csv',
  texts: Array<[string, string, string]>,
): Promise<{ source: InputSource; rows: Row[] }> {
  const run = ++runs;
  const rows: Row[] = texts.map(([password, teamsSecret, fullName], i) => ({
    shortName: `Prop${run}x${i}`,
    password,
    teamsSecret,
    fullName,
  }));
  const input = join(dir, `run${run}.${writer === 'csv' ? 'csv' : 'xlsx'}`);
  const source: InputSource =
    writer === 'csv' ? { kind: 'csv', customers: input } : { kind: 'xlsx', path: input };
  if (writer === 'csv') writeCsv(input, rows);
  else await writeExceljs(input, rows);
  const reportPath = join(dir, `run${run}.results.xlsx`);
  const outcome = await runApply({
    command: 'apply',
    source,
    client,
    baseUrl: sim.url,
    statePath: join(dir, 'state.db'),
    reportPath,
    skipInvalid: true,
    redactor: createRedactor(),
    lpsyncVersion: 'test',
    lockOwner: { pid: process.pid, host: hostname() },
  });
  const issues = 'loaded' in outcome ? outcome.loaded.issues : [];
  const bodies = new Map<string, Record<string, unknown>>();
  for (const write of sim.writesReceived())
    if (write.path === '/api/v3/customer') {
      const body = write.body as Record<string, unknown>;
      bodies.set(body.customerShortName as string, body);
    }

  for (const [i, row] of rows.entries()) {
    const excelRow = i + 2;
    const rules = issues.filter((x) => x.row === excelRow && x.severity === 'error').map((x) => x.rule);
    const password = expectedSecret(row.password, writer, true);
    const teams = expectedSecret(row.teamsSecret, writer, false);
    const refusals = [password, teams].flatMap((e) => ('refused' in e ? [e.refused] : []));
    const shownName = writer === 'csv' ? (excelTextFormula(row.fullName) ?? row.fullName) : row.fullName;
    if (!showsNothing(shownName) && SCIENTIFIC.test(trimSpace(shownName)))
      refusals.push('scientific-notation');
    const body = bodies.get(row.shortName);
    if (refusals.length > 0) {
      for (const rule of refusals) expect(rules, `row ${excelRow}`).toContain(rule);
      expect(body, `${row.shortName} was not sent`).toBeUndefined();
      continue;
    }
    expect(rules, `row ${excelRow} of ${writer}`).toEqual([]);
    expect(body, `${row.shortName} was sent`).toBeDefined();
    const params = (body!.scriptParameters ?? {}) as Record<string, unknown>;
    const qos = (body!.teamsQos ?? {}) as Record<string, unknown>;
    expect(params.CarrierUserPassword).toBe('sent' in password ? password.sent : undefined);
    expect(qos.applicationPassword).toBe('sent' in teams ? teams.sent : undefined);
    // Not a secret: sent without the whitespace at its ends, everything else kept.
    expect(body!.customerFullName).toBe(showsNothing(shownName) ? undefined : trimSpace(shownName));
    // A warning about a secret keeps the secret out of its message and value.
    for (const issue of issues.filter((x) => x.row === excelRow && x.rule === 'secret-edge-character')) {
      expect(issue.value).toBe(MASK);
      for (const secret of [row.password, row.teamsSecret])
        if (trimSpace(secret).length >= 4) expect(issue.message).not.toContain(trimSpace(secret));
    }
  }

  // The results workbook this run wrote, read back: secrets are the mask, other text as written.
  const back = await loadWorkbook({ kind: 'xlsx', path: reportPath });
  const sheet = back.sheets.find((s) => s.sheet === 'Customers')!;
  for (const [i, row] of rows.entries()) {
    const values = sheet.rows[i]!.values;
    const shownName = writer === 'csv' ? (excelTextFormula(row.fullName) ?? row.fullName) : row.fullName;
    expect(values['Carrier Password']).toBe(showsNothing(row.password) ? undefined : MASK);
    expect(values['Teams QoS Application Secret']).toBe(showsNothing(row.teamsSecret) ? undefined : MASK);
    const known = [row.password, row.teamsSecret].filter((s) => s.length >= 4);
    if (!showsNothing(shownName) && !known.some((s) => shownName.includes(s)))
      expect(values['Full Name']).toBe(shownName);
    const masked = back.issues.filter((x) => x.row === i + 2 && x.rule === 'masked-secret').length;
    expect(masked).toBe([row.password, row.teamsSecret].filter((s) => !showsNothing(s)).length);
  }
  return { source, rows };
}

/** The plan of `source` against the simulator as it is now (a dry run: nothing sent). */
async function planOf(source: InputSource) {
  const outcome = await runApply({
    command: 'apply',
    source,
    client,
    baseUrl: sim.url,
    statePath: join(dir, 'state.db'),
    reportPath: join(dir, 'unused.results.xlsx'),
    dryRun: true,
    skipInvalid: true,
    redactor: createRedactor(),
    lpsyncVersion: 'test',
    lockOwner: { pid: process.pid, host: hostname() },
  });
  if (outcome.kind !== 'dry-run') throw new Error(`expected a dry run, got ${outcome.kind}`);
  return outcome.plan;
}

const triple = fc.tuple(carrierText, unicodeText, unicodeText);

describe('a password is sent byte for byte as typed (property, against the simulator)', () => {
  it('written by exceljs into a workbook', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(triple, { minLength: 1, maxLength: 4 }), async (texts) => {
        await roundTrip('exceljs', texts);
      }),
      { numRuns: 25 },
    );
  });

  it('written by a CSV writer, every field quoted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(triple, { minLength: 1, maxLength: 4 }), async (texts) => {
        await roundTrip('csv', texts);
      }),
      { numRuns: 25 },
    );
  });

  it('the cases the issue names, in both writers', async () => {
    const named: Array<[string, string, string]> = [
      [' pass word ', '\u00a0sec\u200dret\u00a0', 'Famille 👨‍👩‍👧'],
      ['\u00a0x', ' zw\u200cnj\u00ad\u200e\u200f ', 'می‌خواهم'],
      ['trailing ', '\u200bjoined\u200b', ' Acme\u200d '],
    ];
    const { source, rows } = await roundTrip('exceljs', named);
    await roundTrip('csv', named);
    // Planned again: what was applied is what the sheet says, to the byte (read-back and digests
    // alike). The second row's carrier password holds a no-break space: refused, so not planned.
    const again = await planOf(source);
    expect(again.actions.map((a) => [a.customerShortName, a.kind])).toEqual([
      [rows[0]!.shortName, 'unchanged'],
      [rows[2]!.shortName, 'unchanged'],
    ]);
    // One space more at the end of a password is a change, and the plan says so without showing it.
    const changed = rows.map((r, i) => (i === 0 ? { ...r, password: `${r.password} ` } : r));
    const path = join(dir, 'changed.xlsx');
    await writeExceljs(path, changed);
    const plan = await planOf({ kind: 'xlsx', path });
    const modify = plan.actions.find((a) => a.kind === 'modify-site')!;
    expect(plan.actions.map((a) => a.kind)).toEqual(['modify-site', 'unchanged']);
    expect(modify.reasons).toEqual([
      expect.objectContaining({ field: 'carrierUserPassword', before: 'differs', after: 'differs' }),
    ]);
    // The planned request carries it as typed (the plan file masks it; apply needs it in memory).
    expect(modify.kind === 'modify-site' && modify.request.body.scriptParameters).toEqual({
      CarrierUserPassword: ' pass word  ',
    });
  });
});
