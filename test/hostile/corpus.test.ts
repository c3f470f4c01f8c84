/**
 * The hostile corpus, generated at test time: zip bombs, monsters past every limit, broken
 * packages and XML, control characters, CSV floods. Each runs through the real CLI
 * (`lpsync validate`) in a child process with a 1 GB heap, and must end in under 30 s with
 * exit code 2 (or 0 with a warning), no stack trace, and a message naming the file (and the
 * sheet or part) and what to do. The child's peak memory (max RSS) is read back and bounded.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN, nodeWarnings } from '../e2e/cli-helpers.js';
import { sheetPart, workbookParts, zipBytes, type ZipPart } from './zip-writer.js';

const HEADERS = ['License', 'Short Name', 'SBC Id', 'SBC Onboarding Script', 'SBC Cleanup Script'];
const MB = 1024 * 1024;
const LIMIT_MS = 30_000;
const LIMIT_RSS_KB = 1024 * 1024;

interface Case {
  name: string;
  /** The file's bytes or text. */
  make: () => Buffer | string;
  /** What the output must say (besides the file name). */
  says: RegExp;
  /** The sheet or part it must name, when the fault is in one. */
  names?: string;
}

const xlsx = (parts: ZipPart[]) => () => zipBytes(parts);
const customers = (part: ZipPart, extra: ZipPart[] = []) =>
  workbookParts([{ name: 'Customers', part }], extra);
const rowsOf = (n: number, row: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => row(i)).join('');

const CASES: Case[] = [
  {
    name: 'bomb-1gb.xlsx',
    // 50 KB of rows, 21,000 times: 1 GB of XML in a 4 MB file.
    make: xlsx(
      customers(
        sheetPart(
          HEADERS,
          rowsOf(1310, () => '<row><c><v>1234567890123</v></c></row>'),
          21_000,
        ),
      ),
    ),
    says: /would inflate to (9\d\d|1,0\d\d) MB .*zip bomb/s,
    names: 'xl/worksheets/sheet1.xml',
  },
  {
    name: 'ratio-bomb.xlsx',
    make: xlsx(customers(sheetPart(HEADERS, '<row/>'.repeat(10_000), 3_000))),
    says: /would inflate to 172 MB \(\d[\d,]* times.*inflating at most 100 times/s,
    names: 'xl/worksheets/sheet1.xml',
  },
  {
    name: 'rows-past-cap.xlsx',
    make: xlsx(
      customers({
        ...sheetPart(HEADERS, '', 0),
        body: rowsOf(
          150_001,
          (i) => `<row r="${i + 2}"><c r="B${i + 2}" t="inlineStr"><is><t>C${i}</t></is></c></row>`,
        ),
        times: 1,
      }),
    ),
    says: /more than 150,000 rows with values.*Split the rows/s,
    names: 'sheet "Customers"',
  },
  {
    name: 'past-excel-rows.xlsx',
    make: xlsx(customers(sheetPart(HEADERS, '', 0, '<row r="1048577"><c><v>1</v></c></row>'))),
    says: /rows past Excel's last row.*save the workbook again/s,
    names: 'sheet "Customers"',
  },
  {
    name: 'wide.xlsx',
    make: xlsx(customers(sheetPart(HEADERS, '', 0, '<row r="2"><c r="KN2"><v>1</v></c></row>'))),
    says: /value in cell KN2, right of column IV.*Delete the columns/s,
    names: 'sheet "Customers"',
  },
  {
    name: 'huge-text.xlsx',
    make: xlsx(
      customers(
        sheetPart(HEADERS, '', 0, `<row><c t="inlineStr"><is><t>${'x'.repeat(2 * MB)}</t></is></c></row>`),
      ),
    ),
    says: /holds a text of more than 263,160 characters.*save it again/s,
    names: 'sheet "Customers"',
  },
  {
    name: 'billion-laughs.xlsx',
    make: xlsx(
      customers(sheetPart(HEADERS, '', 0, '<row><c t="s"><v>0</v></c></row>'), [
        {
          name: 'xl/sharedStrings.xml',
          head:
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' +
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol3;</t></si></sst>',
        },
      ]),
    ),
    says: /the shared strings \(xl\/sharedStrings\.xml\) is not well-formed XML.*save it again/s,
  },
  {
    name: 'deep-nesting.xlsx',
    make: xlsx(customers(sheetPart(HEADERS, '', 0, `${'<x>'.repeat(200_000)}${'</x>'.repeat(200_000)}`))),
    says: /Customers has a header row but no rows below it: there is nothing to apply/,
  },
  {
    name: 'many-parts.xlsx',
    make: xlsx([
      ...customers(sheetPart(HEADERS, '', 0)),
      ...Array.from({ length: 10_001 }, (_, i) => ({ name: `junk/${i}.xml`, head: 'x' })),
    ]),
    says: /holds more than 10,000 parts.*save it as an \.xlsx workbook again/s,
  },
  {
    name: 'not-xml.xlsx',
    make: xlsx(
      customers(sheetPart(HEADERS, '', 0)).map((p) =>
        p.name === 'xl/workbook.xml' ? { ...p, head: '<workbook><<<' } : p,
      ),
    ),
    says: /xl\/workbook\.xml is not well-formed XML.*save it again/s,
  },
  {
    name: 'truncated.xlsx',
    make: () => {
      const whole = zipBytes(
        customers(
          sheetPart(
            HEADERS,
            rowsOf(100, (i) => `<row><c><v>${i}</v></c></row>`),
            1,
          ),
        ),
      );
      return whole.subarray(0, Math.floor(whole.length / 2));
    },
    says: /not a readable \.xlsx workbook.*save it as an \.xlsx workbook again/s,
  },
  {
    name: 'missing-part.xlsx',
    make: xlsx(customers(sheetPart(HEADERS, '', 0)).filter((p) => !p.name.startsWith('xl/worksheets/'))),
    says: /sheet "Customers" has no part xl\/worksheets\/sheet1\.xml: the file is damaged.*save it again/s,
  },
  {
    name: 'shared-string-flood.xlsx',
    make: xlsx(
      customers(sheetPart(HEADERS, '', 0), [
        {
          name: 'xl/sharedStrings.xml',
          head: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${rowsOf(2_000_001, (i) => `<si><t>${i.toString(36)}</t></si>`)}</sst>`,
        },
      ]),
    ),
    says: /shared-string table holds more than 2,000,000 texts.*Split the workbook/s,
  },
  {
    name: 'control-characters.xlsx',
    make: xlsx(
      workbookParts([
        { name: 'Notes\u202e', part: sheetPart(['Note'], '', 0) },
        {
          name: 'Customers',
          part: sheetPart(
            HEADERS,
            '',
            0,
            '<row><c t="inlineStr"><is><t>Essentials</t></is></c><c t="inlineStr"><is><t>Esc_x001B_[2J1</t></is></c><c><v>5</v></c><c><v>7</v></c><c><v>700</v></c></row>',
          ),
        },
      ]),
    ),
    says: /control-character.*U\+001B: type the value again without it.*Esc<U\+001B>\[2J1/s,
  },
  {
    name: 'csv-rows-past-cap.csv',
    make: () => `${HEADERS.join(',')}\n${rowsOf(150_001, (i) => `Essentials,Cust${i},5,7,700\n`)}`,
    says: /has more than 150,000 rows with values.*Split the rows/s,
  },
  {
    name: 'csv-issue-flood.csv',
    make: () => `${HEADERS.join(',')}\n${rowsOf(110_000, (i) => `Essentials,C${i},x,y,z\n`)}`,
    says: /Customers +\d+ .*too-many-issues +lpsync stopped checking here, after 20,000 issues: the 10\d,\d\d\d rows from this one on/,
  },
  {
    name: 'csv-giant-field.csv',
    make: () => `${HEADERS.join(',')}\nEssentials,"${'x'.repeat(3 * MB)}\n`,
    says: /is not valid CSV.*Save it as "CSV UTF-8/s,
  },
  {
    name: 'csv-wide.csv',
    make: () => `${HEADERS.join(',')}\n${Array.from({ length: 300 }, (_, i) => `v${i}`).join(',')}\n`,
    says: /line 2 has a value in column 257 or further right.*Delete the columns/s,
  },
  {
    name: 'csv-binary.csv',
    make: () => Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + 13) % 256)),
    says: /is not UTF-8 text.*Save|save/s,
  },
];

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lpsync-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The CLI in a child with a 1 GB heap; its peak RSS (KB) is written to a file on exit. */
function validate(
  file: string,
  csv: boolean,
): Promise<{ code: number | null; signal: string | null; out: string; ms: number; rssKb: number }> {
  const rssFile = `${file}.rss`;
  const hook = `data:text/javascript,import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`;
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=1024',
      `--import=${hook}`,
      MAIN,
      'validate',
      ...(csv ? ['--customers'] : []),
      file,
    ],
    {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS + 5_000);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let rssKb = 0;
      try {
        rssKb = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        // No file: the child died before its exit handler ran (the assertions below say so).
      }
      resolve({ code, signal, out, ms: Date.now() - started, rssKb });
    }),
  );
}

describe('the hostile corpus: no crash, no hang, under 30 s and 1 GB, a message that says what to do', () => {
  for (const c of CASES)
    it(c.name, { timeout: LIMIT_MS + 15_000 }, async () => {
      const file = join(dir, c.name);
      writeFileSync(file, c.make());
      const run = await validate(file, file.endsWith('.csv'));
      expect(run.signal, run.out.slice(0, 2000)).toBeNull();
      expect([0, 2], run.out.slice(0, 2000)).toContain(run.code);
      expect(run.out).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(nodeWarnings(run.out)).toEqual([]);
      expect(run.out).toContain(basename(file));
      if (c.names) expect(run.out).toContain(c.names);
      expect(run.out).toMatch(c.says);
      expect(run.ms).toBeLessThan(LIMIT_MS);
      expect(run.rssKb).toBeGreaterThan(0);
      expect(run.rssKb).toBeLessThan(LIMIT_RSS_KB);
    });
});
