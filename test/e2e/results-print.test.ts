/**
 * The results workbook on paper: printed through LibreOffice (`soffice --convert-to pdf`), every row's
 * name and status is on a page, on one line, in text 8 pt or taller; each page names its sheet and
 * number; an empty Drift sheet says so. Needs LibreOffice Calc and poppler-utils (`.ci/run` installs
 * them): without them this test fails, it is never skipped.
 *
 * `LPSYNC_WRITE_SCREENSHOT=1 npx vitest run test/e2e/results-print.test.ts` also renders the first page
 * to docs/results-print.png (the README's picture).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../../src/model/text.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { reportPathOf, ROOT, runCli } from './cli-helpers.js';
import { libreOfficeConvert } from '../support/libreoffice.js';

const run = promisify(execFile);
const INVALID = join(ROOT, 'samples', 'invalid.xlsx');

interface Word {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  height: number;
}

/** Every word of a PDF with its page and box, from `pdftotext -bbox`. */
async function wordsOf(
  pdf: string,
): Promise<{ words: Word[]; pages: Array<{ width: number; height: number }> }> {
  const { stdout } = await run('pdftotext', ['-bbox', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 });
  const words: Word[] = [];
  const pages: Array<{ width: number; height: number }> = [];
  for (const page of stdout.split('<page ').slice(1)) {
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(page)!;
    pages.push({ width: Number(size[1]), height: Number(size[2]) });
    for (const m of page.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g,
    ))
      words.push({
        page: pages.length,
        text: m[4]!
          .replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"'),
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        height: Number(m[3]) - Number(m[2]),
      });
  }
  return { words, pages };
}

/** Each input row's name (its key cells) and status, read back from the results workbook by header. */
async function rowsOf(
  path: string,
): Promise<Array<{ sheet: string; row: number; name: string[]; status: string }>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const out: Array<{ sheet: string; row: number; name: string[]; status: string }> = [];
  for (const [sheet, keys] of [
    ['Customers', ['Short Name']],
    ['SipConnections', ['Customer Short Name', 'Site Name']],
  ] as const) {
    const ws = book.getWorksheet(sheet)!;
    const header = (ws.getRow(1).values as unknown[]).map((v) => textOf(v ?? ''));
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const name = keys.flatMap((k) => textOf(row.getCell(header.indexOf(k)).value ?? '').split(/\s+/));
      out.push({
        sheet,
        row: n,
        name: name.filter(Boolean),
        status: textOf(row.getCell(header.indexOf('Status')).value),
      });
    });
  }
  return out;
}

let dir: string;
let sim: RunningSimulator;
let report: string;
let pdf: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-print-'));
  sim = await startSimulator({ port: 0, seed: 3, taskDurationMs: 0 });
  // A run with every kind of row: created, added, and invalid with its reason. Printed on Letter (en_US).
  const apply = await runCli(['apply', INVALID, '--skip-invalid'], {
    cwd: dir,
    baseUrl: sim.url,
    env: { LANG: 'en_US.UTF-8' },
  });
  expect(apply.code, apply.stderr).toBe(1);
  report = reportPathOf(apply.stdout, dir);
  await libreOfficeConvert(report, 'pdf', dir, join(dir, 'lo-profile'));
  pdf = join(dir, basename(report).replace(/\.xlsx$/, '.pdf'));
}, 180_000);

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the results workbook, printed', () => {
  it("shows every row's name and status on one line of a page, in text 8 pt or taller", async () => {
    const { words, pages } = await wordsOf(pdf);
    // Letter, landscape, for an en_US locale.
    expect(pages[0]).toEqual({ width: 792, height: 612 });
    const smallest = Math.min(...words.map((w) => w.height));
    expect(smallest, `the smallest text is ${smallest.toFixed(2)} pt tall`).toBeGreaterThanOrEqual(8);
    const rows = await rowsOf(report);
    expect(rows.length).toBeGreaterThan(30);
    const statuses = new Set(rows.map((r) => r.status));
    for (const status of ['succeeded', 'invalid']) expect(statuses).toContain(status);
    for (const r of rows) {
      // The words of one printed line: same page, tops within 2 pt of the status word's.
      const found = words.some(
        (status) =>
          status.text === r.status &&
          r.name.every((part) =>
            words.some(
              (w) => w.page === status.page && Math.abs(w.yMin - status.yMin) < 2 && w.text === part,
            ),
          ),
      );
      expect(found, `${r.sheet} row ${r.row}: ${r.name.join(' ')} ${r.status}`).toBe(true);
    }
  });

  it('names the sheet and the page number at the foot of every page, and says "no drift" in a sentence', async () => {
    const { words, pages } = await wordsOf(pdf);
    for (let page = 1; page <= pages.length; page++) {
      // The footer: the words lowest on the page, left to right.
      const on = words.filter((w) => w.page === page);
      const bottom = Math.max(...on.map((w) => w.yMin));
      const text = on
        .filter((w) => bottom - w.yMin < 2)
        .sort((a, b) => a.xMin - b.xMin)
        .map((w) => w.text)
        .join(' ');
      expect(text).toMatch(
        new RegExp(`^(Customers|SipConnections|Summary|Drift|Issues) Page ${page} of ${pages.length}$`),
      );
    }
    const all = words.map((w) => w.text).join(' ');
    expect(all).toContain(
      'No drift: every service and SIP connection on the Live Platform is named in the sheet.',
    );
    if (process.env.LPSYNC_WRITE_SCREENSHOT === '1') {
      await run('pdftoppm', [
        '-f',
        '1',
        '-l',
        '1',
        '-r',
        '110',
        '-png',
        '-singlefile',
        pdf,
        join(dir, 'page'),
      ]);
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      copyFileSync(join(dir, 'page.png'), join(ROOT, 'docs', 'results-print.png'));
    }
    expect(readdirSync(dir)).toContain(basename(pdf));
  });
});
