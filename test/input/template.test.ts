import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { TEMPLATE_FILES, TEMPLATE_LAST_ROW, writeTemplates } from '../../src/input/template.js';
import { CUSTOMER_FIELDS, dropdownFor, SIP_CONNECTION_FIELDS } from '../../src/model/catalogue.js';
import { tempDir } from './helpers.js';
import { textOf } from '../../src/model/text.js';

const COMMITTED = 'templates';

function noteText(note: ExcelJS.Comment | string | undefined): string {
  if (note === undefined) return '';
  if (typeof note === 'string') return note;
  return note.texts?.map((t) => t.text).join('') ?? '';
}

/** Everything a person sees in the template workbook, read back with exceljs. */
async function templateContent(path: string) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return {
    created: workbook.created?.toISOString(),
    modified: workbook.modified?.toISOString(),
    sheets: workbook.worksheets.map((ws) => {
      const header = ws.getRow(1);
      const cells: Array<{ value: string; note: string; width: number | undefined }> = [];
      header.eachCell((cell, col) =>
        cells.push({ value: textOf(cell.value), note: noteText(cell.note), width: ws.getColumn(col).width }),
      );
      return {
        name: ws.name,
        views: (ws.views ?? []).map((v) => ({ state: v.state, ySplit: (v as { ySplit?: number }).ySplit })),
        cells,
        values: ws.getSheetValues().map((row) => (Array.isArray(row) ? row.map((v) => textOf(v ?? '')) : [])),
        validations: (ws as unknown as { dataValidations: { model: Record<string, unknown> } })
          .dataValidations.model,
      };
    }),
  };
}

describe('lpsync template', () => {
  it('the committed templates match what the command generates', async () => {
    const dir = await tempDir();
    await writeTemplates(dir);
    expect(await templateContent(join(COMMITTED, TEMPLATE_FILES.workbook))).toEqual(
      await templateContent(join(dir, TEMPLATE_FILES.workbook)),
    );
    for (const name of [TEMPLATE_FILES.Customers, TEMPLATE_FILES.SipConnections])
      expect(await readFile(join(COMMITTED, name), 'utf8')).toBe(await readFile(join(dir, name), 'utf8'));
  });

  it('is the same bytes each time it is written, and as committed (fixed dates inside and on the zip entries)', async () => {
    const [one, two] = [await tempDir(), await tempDir()];
    await writeTemplates(one);
    // Written again "years later" (only Date is faked): a zip entry's time would differ.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2031-07-15T13:45:27Z'));
      await writeTemplates(two);
    } finally {
      vi.useRealTimers();
    }
    const bytes = (dir: string) => readFile(join(dir, TEMPLATE_FILES.workbook));
    expect((await bytes(one)).equals(await bytes(two))).toBe(true);
    expect((await bytes(one)).equals(await bytes(COMMITTED))).toBe(true);
  });

  it('has both sheets from the catalogue, a note on every header, frozen header rows and fixed dates', async () => {
    const content = await templateContent(join(COMMITTED, TEMPLATE_FILES.workbook));
    expect(content.created).toBe('2026-01-01T00:00:00.000Z');
    expect(content.modified).toBe('2026-01-01T00:00:00.000Z');
    const [customers, sites, instructions] = content.sheets;
    expect(customers!.name).toBe('Customers');
    expect(sites!.name).toBe('SipConnections');
    expect(instructions!.name).toBe('Instructions');
    for (const [sheet, fields] of [
      [customers!, CUSTOMER_FIELDS],
      [sites!, SIP_CONNECTION_FIELDS],
    ] as const) {
      expect(sheet.cells.map((c) => c.value)).toEqual(fields.map((f) => f.header));
      sheet.cells.forEach((cell, i) => {
        expect(cell.note, cell.value).toContain(fields[i]!.note);
        expect(cell.width).toBeGreaterThanOrEqual(12);
      });
      expect(sheet.views).toEqual([{ state: 'frozen', ySplit: 1 }]);
    }
    const carrierPassword = customers!.cells.find((c) => c.value === 'Carrier Password')!;
    expect(carrierPassword.note).toContain('up to 50 characters');
    expect(carrierPassword.note).toContain('CarrierUserPassword');
  });

  it('has dropdowns for License, OVOC customer type, SBC configuration type and every yes/no column', async () => {
    const content = await templateContent(join(COMMITTED, TEMPLATE_FILES.workbook));
    for (const [index, fields] of [CUSTOMER_FIELDS, SIP_CONNECTION_FIELDS].entries()) {
      const sheet = content.sheets[index]!;
      fields.forEach((field, col) => {
        const letter = col < 26 ? String.fromCharCode(65 + col) : `A${String.fromCharCode(65 + col - 26)}`;
        const choices = dropdownFor(field.kind);
        for (const row of [2, 500, TEMPLATE_LAST_ROW]) {
          const validation = sheet.validations[`${letter}${row}`] as
            { type: string; formulae: string[] } | undefined;
          if (!choices) expect(validation, `${field.header} ${row}`).toBeUndefined();
          else
            expect(validation, `${field.header} ${row}`).toMatchObject({
              type: 'list',
              formulae: [`"${choices.join(',')}"`],
            });
        }
      });
    }
    const dropdowns = (fields: typeof CUSTOMER_FIELDS) =>
      fields.filter((f) => dropdownFor(f.kind)).map((f) => f.header);
    expect(dropdowns(CUSTOMER_FIELDS)).toEqual(['License', 'OVOC Customer Type', 'SBC Configuration Type']);
    expect(dropdowns(SIP_CONNECTION_FIELDS)).toEqual([
      'OVOC Customer Type',
      'SBC Configuration Type',
      'Enable CAC',
      'Configure SBC',
      'Carrier Registration',
      'Configure M365 Routing',
    ]);
  });

  it("formats text columns as Text so Excel keeps a phone number's + and an id's leading zeros", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(COMMITTED, TEMPLATE_FILES.workbook));
    const sites = workbook.getWorksheet('SipConnections')!;
    const formatOf = (header: string) =>
      sites.getColumn(SIP_CONNECTION_FIELDS.findIndex((f) => f.header === header) + 1).numFmt;
    expect(formatOf('Phones')).toBe('@');
    expect(formatOf('Carrier Main Line')).toBe('@');
    expect(formatOf('SBC Id')).toBeUndefined();
  });

  it('reads back through lpsync with no issue but "nothing to apply" (every header is known)', async () => {
    const xlsx = await loadWorkbook({ kind: 'xlsx', path: join(COMMITTED, TEMPLATE_FILES.workbook) });
    // Header rows only: the one warning says so, no header is unknown.
    expect(xlsx.issues.map((i) => [i.severity, i.rule])).toEqual([['warning', 'nothing-to-apply']]);
    expect(xlsx.sheets.map((s) => s.headers.length)).toEqual([
      CUSTOMER_FIELDS.length,
      SIP_CONNECTION_FIELDS.length,
    ]);
    const csv = await loadWorkbook({
      kind: 'csv',
      customers: join(COMMITTED, TEMPLATE_FILES.Customers),
      sites: join(COMMITTED, TEMPLATE_FILES.SipConnections),
    });
    expect(csv.issues.map((i) => [i.severity, i.rule])).toEqual([['warning', 'nothing-to-apply']]);
  });
});
