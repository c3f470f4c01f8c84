/**
 * The review workbook as a change board reads it: a long request goes on in continuation rows (no row
 * over Excel's 409 points, not a character lost), a modify's reasons are listed with its changes (a
 * secret as "differs"), and a plan with nothing to do says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { textOf } from '../../src/model/text.js';
import type { SavedAction, SavedPlan } from '../../src/plan/plan-file.js';
import { MAX_ROW_HEIGHT } from '../../src/report/layout.js';
import { NOTHING_TO_DO, writeReviewWorkbook } from '../../src/report/review-workbook.js';
import { splitLines, textLines } from '../../src/report/text-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-review-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fingerprint = { service: {}, applied: null } as unknown as SavedAction['fingerprint'];

/** 300 dial-plan prefixes: a Modify SIP Connection body far taller than one row. */
const PREFIXES = Array.from({ length: 300 }, (_, i) => ({
  prefix: `+3222${String(i).padStart(4, '0')}`,
  index: i + 1,
  active: i % 2 === 0,
}));

const modify: SavedAction = {
  id: 'site:BradTest3/Brad1010',
  kind: 'modify-site',
  target: { customerShortName: 'BradTest3', siteName: 'Brad1010', customerGuid: 'g', siteGuid: 's' },
  rows: [{ sheet: 'SipConnections', row: 4 }],
  dependsOn: [],
  reasons: [
    {
      field: 'cacProfile',
      before: '5 sessions',
      after: '20 sessions',
      message: 'cacProfile differs from the Live Platform',
    },
    {
      field: 'carrierUserPassword',
      before: 'differs',
      after: 'differs',
      message: 'carrierUserPassword differs from what lpsync last applied (it cannot be read back)',
    },
  ],
  request: {
    method: 'PATCH',
    path: '/api/v2/sitelocation/s',
    body: { cacProfile: '20 sessions', carrierUserPassword: '***', dialPlanPrefixes: PREFIXES, last: 'END' },
  },
  followUp: null,
  fingerprint,
};

function plan(actions: SavedAction[]): SavedPlan {
  return {
    format: 'lpsync-plan',
    formatVersion: 1,
    lpsyncVersion: '0.1.0',
    createdAt: '2026-11-27T02:00:00.000Z',
    baseUrl: 'http://127.0.0.1:8080/tenantui',
    inputs: [{ file: 'book.xlsx', sha256: 'ab'.repeat(32) }],
    options: { mode: 'upsert', only: [], limit: null, adopt: false },
    counts: { 'modify-site': actions.length },
    actions,
    drift: [],
  };
}

async function actionsSheet(path: string): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  return book.getWorksheet('Actions')!;
}

describe('the review workbook', () => {
  it('goes on in "(continued)" rows instead of cutting a long request at 409 points', async () => {
    const path = join(dir, 'long.review.xlsx');
    await writeReviewWorkbook(path, { saved: plan([modify]), sha256: 'cd'.repeat(32) });
    const ws = await actionsSheet(path);
    const header = (ws.getRow(1).values as unknown[]).map((v) => textOf(v ?? ''));
    const col = (name: string) => header.indexOf(name);
    const rows = Array.from({ length: ws.actualRowCount - 1 }, (_, i) => ws.getRow(i + 2));
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      expect(row.height ?? 15).toBeLessThanOrEqual(MAX_ROW_HEIGHT);
      // Every row names its target, so a printed page on its own still says what it is about.
      expect(row.getCell(col('Customer')).value).toBe('BradTest3');
      expect(row.getCell(col('SIP connection')).value).toBe('Brad1010');
    }
    expect(rows[0]!.getCell(col('Action')).value).toBe('modify-site');
    for (const row of rows.slice(1)) expect(row.getCell(col('Action')).value).toBe('modify-site (continued)');
    // The request, read across its rows, holds every prefix and the closing braces.
    const request = rows
      .map((r) => textOf(r.getCell(col('Request (secrets masked)')).value ?? ''))
      .join('\n');
    // One prefix a line, read as the vendor pages write bodies.
    for (const p of PREFIXES)
      expect(request).toContain(`{"prefix": "${p.prefix}", "index": ${p.index}, "active": ${p.active}}`);
    expect(request).toContain('"last": "END"');
    expect(request.trimEnd().endsWith('}')).toBe(true);
  });

  it("lists a modify's reasons beside its changes, a secret only as differs", async () => {
    const path = join(dir, 'reasons.review.xlsx');
    await writeReviewWorkbook(path, { saved: plan([modify]), sha256: 'cd'.repeat(32) });
    const ws = await actionsSheet(path);
    const header = (ws.getRow(1).values as unknown[]).map((v) => textOf(v ?? ''));
    const first = ws.getRow(2);
    expect(textOf(first.getCell(header.indexOf('Changes (before → after)')).value)).toBe(
      'cacProfile: 5 sessions → 20 sessions\ncarrierUserPassword: differs (secret, not shown)',
    );
    expect(textOf(first.getCell(header.indexOf('Reasons')).value)).toBe(
      'cacProfile differs from the Live Platform\ncarrierUserPassword differs from what lpsync last applied (it cannot be read back)',
    );
  });

  it('says "nothing to do" for a plan that changes nothing, instead of a bare header', async () => {
    const path = join(dir, 'empty.review.xlsx');
    await writeReviewWorkbook(path, { saved: plan([]), sha256: 'cd'.repeat(32) });
    const ws = await actionsSheet(path);
    expect(ws.actualRowCount).toBe(1);
    expect(ws.getRow(1).getCell(1).value).toBe(NOTHING_TO_DO);
  });
});

describe('text split over rows', () => {
  it('loses nothing: the parts and their separators are the text, each part at most the lines asked', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = [
      'a',
      'word',
      ' ',
      '  ',
      '\n',
      'averyveryverylongwordwithoutanyspaceatall',
      '{',
      '"x": 1,',
    ];
    for (let t = 0; t < 300; t++) {
      let text = '';
      const n = Math.floor(random() * 80);
      for (let i = 0; i < n; i++) text += pieces[Math.floor(random() * pieces.length)];
      const width = 5 + Math.floor(random() * 30);
      const lines = textLines(text, width);
      for (const l of lines) expect(l.text.length).toBeLessThanOrEqual(width - 1);
      const perPart = 1 + Math.floor(random() * 4);
      const parts = splitLines(lines, perPart);
      expect(parts.map((p) => p.text + p.after).join(''), JSON.stringify(text)).toBe(text);
      for (const p of parts) expect(textLines(p.text, width).length).toBeLessThanOrEqual(perPart);
    }
  });
});
