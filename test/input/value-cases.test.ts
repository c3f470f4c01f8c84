/**
 * Issue 21's value cases (test/fixtures/writers/values/, made by make_value_cases.py with openpyxl,
 * XlsxWriter, pandas, Python's csv module and LibreOffice): through the real loadWorkbook, every value
 * of every row reads as typed — secrets byte for byte — or the row is refused with its reason.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkbook, type LoadedWorkbook } from '../../src/input/index.js';
import { MASK } from '../../src/model/redact.js';

const DIR = resolve(import.meta.dirname, '..', 'fixtures', 'writers', 'values');

function load(name: string): Promise<LoadedWorkbook> {
  const path = join(DIR, name);
  return loadWorkbook(name.endsWith('.csv') ? { kind: 'csv', customers: path } : { kind: 'xlsx', path });
}

/** Every issue as [sheet, row, column, severity, rule, value], in the order lpsync lists them. */
const issuesOf = (loaded: LoadedWorkbook) =>
  loaded.issues.map((i) => [i.sheet, i.row, i.column, i.severity, i.rule, i.value]);

/** The valid rows, each whole, placed by row number only. */
const rowsOf = (loaded: LoadedWorkbook) =>
  [...loaded.rows.customers, ...loaded.rows.sites].map((r) => ({ ...r, origin: r.origin.row }));

const FAMILY = '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}';
const PERSIAN = 'می\u200cخواهم';
const OC = { configurationName: 'OcEssential_IPGROUP_TYPE', licensedUsersCount: 10 };

const SECRET_CUSTOMERS = [
  {
    kind: 'customer',
    origin: 2,
    license: 'OC Essentials',
    shortName: 'Sec1',
    fullName: `Famille ${FAMILY}`,
    siteName: 'Sec1',
    site: {
      customVariables: { ApiSecret: '\u00a0nb\u00a0' },
      carrierUserName: 'user1',
      carrierUserPassword: ' lead',
    },
    oc: { ...OC, teamsQosApplicationPassword: 'trail ' },
  },
  {
    kind: 'customer',
    origin: 3,
    license: 'OC Essentials',
    shortName: PERSIAN,
    fullName: 'Acme Ltd',
    siteName: PERSIAN,
    site: { customVariables: { ApiSecret: 'x' }, carrierUserName: 'user2', carrierUserPassword: 'p@ss w0rd' },
    oc: { ...OC, teamsQosApplicationPassword: 'zw\u200dj\u200cnj\u00adsh\u200e\u200f' },
  },
  // Carrier Password "   " shows nothing: an empty cell, no password.
  {
    kind: 'customer',
    origin: 5,
    license: 'OC Essentials',
    shortName: 'Sec5',
    siteName: 'Sec5',
    site: { customVariables: {} },
    oc: OC,
  },
];

const SECRET_CUSTOMER_ISSUES = [
  ['Customers', 2, 'Carrier Password', 'warning', 'secret-edge-character', MASK],
  ['Customers', 2, 'Teams QoS Application Secret', 'warning', 'secret-edge-character', MASK],
  ['Customers', 2, 'Var:ApiSecret', 'warning', 'secret-edge-character', MASK],
  ['Customers', 3, 'Teams QoS Application Secret', 'warning', 'secret-edge-character', MASK],
  ['Customers', 4, 'Carrier Password', 'error', 'carrier-password-characters', MASK],
  ['Customers', 4, 'Full Name', 'warning', 'invisible-character', '\u200bZero Ltd'],
  ['Customers', 6, 'Teams QoS Application Secret', 'error', 'masked-secret', MASK],
];

describe('secrets are read byte for byte; other text loses only whitespace at its ends', () => {
  for (const name of ['secrets-openpyxl.xlsx', 'secrets-xlsxwriter.xlsx', 'secrets-libreoffice.xlsx'])
    it(name, async () => {
      const loaded = await load(name);
      expect(issuesOf(loaded)).toEqual([
        ...SECRET_CUSTOMER_ISSUES,
        ['SipConnections', 2, 'Carrier Password DPI', 'warning', 'secret-edge-character', MASK],
        ['SipConnections', 3, 'Site Name', 'error', 'invisible-character', 'Branch\u200d'],
      ]);
      expect(rowsOf(loaded)).toEqual([
        ...SECRET_CUSTOMERS,
        {
          kind: 'site',
          origin: 2,
          customerShortName: 'Sec1',
          siteName: `Site ${FAMILY}`,
          site: { customVariables: {}, carrierPasswordDPI: '\u200bdpi\u200b', cacProfile: '10 sessions' },
        },
      ]);
      // Every secret read, for the run's redactor: as typed (the sites' "dpi2" is on a refused row),
      // and without its edge spaces too, in case something echoes it trimmed.
      expect(loaded.secrets.sort()).toEqual(
        [
          ' lead',
          'lead',
          'trail ',
          'trail',
          '\u00a0nb\u00a0',
          'nb',
          'nbsp',
          'p@ss w0rd',
          'zw\u200dj\u200cnj\u00adsh\u200e\u200f',
          'x',
          '\u00a0nbsp',
          MASK,
          '\u200bdpi\u200b',
          'dpi2',
        ].sort(),
      );
    });

  for (const name of ['secrets-csv-module.csv', 'secrets-pandas.csv'])
    it(name, async () => {
      const loaded = await load(name);
      expect(issuesOf(loaded)).toEqual(SECRET_CUSTOMER_ISSUES);
      expect(rowsOf(loaded)).toEqual(SECRET_CUSTOMERS);
    });

  it('the messages say what is unseen and never show the secret', async () => {
    const loaded = await load('secrets-openpyxl.xlsx');
    const messages = loaded.issues.map((i) => i.message);
    expect(messages).toContain(
      'this secret starts with a space: it is sent as typed, with it; if that is not part of the secret, delete it',
    );
    expect(messages).toContain(
      'this secret starts with a U+00A0 (no-break space): it is sent as typed, with it; if that is not part of the secret, delete it',
    );
    expect(messages).toContain(
      'wide (non-ASCII) characters are not allowed; it holds U+00A0 (no-break space), which does not show',
    );
    for (const secret of ['lead', 'trail', 'nbsp', 'dpi'])
      for (const message of messages) expect(message).not.toContain(secret);
  });
});

const NUMBER_ROW = {
  kind: 'customer',
  license: 'Essentials',
  site: { customVariables: {}, sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700 },
};

describe('whole numbers and ids', () => {
  it('in an .xlsx: 1.000 and 1.317 are refused, a number cell is its number, 5.0 is 5', async () => {
    const loaded = await load('numbers-openpyxl.xlsx');
    expect(issuesOf(loaded)).toEqual([
      ['Customers', 3, 'SBC Id', 'error', 'ambiguous-number', '1.000'],
      ['Customers', 4, 'LC Customer Id', 'error', 'grouped-number', '1.317'],
      ['Customers', 6, 'LC Customer Id', 'error', 'grouped-number', '1317027.0'],
    ]);
    expect(loaded.issues[0]!.message).toBe(
      '"1.000" is 1000 with a dot between thousands (as a German Excel shows it), or 1 with a decimal point; type the whole number without separators',
    );
    expect(loaded.issues[1]!.message).toContain("type the id's digits only");
    expect(rowsOf(loaded)).toEqual([
      {
        ...NUMBER_ROW,
        origin: 2,
        shortName: 'Num1',
        siteName: 'Num1',
        lcCustomerId: '1317027',
        channelId: 'ch-0042',
      },
      {
        ...NUMBER_ROW,
        origin: 5,
        shortName: 'Num4',
        siteName: 'Num4',
        lcCustomerId: '1317027',
        site: { ...NUMBER_ROW.site, sbcId: 1000 },
      },
    ]);
  });

  it('a German CSV saved by LibreOffice: the dot groups thousands there, read so with a warning', async () => {
    const loaded = await load('numbers-german-libreoffice.csv');
    expect(issuesOf(loaded)).toEqual([
      ['Customers', 2, 'SBC Id', 'warning', 'number-convention', '1.000'],
      ['Customers', 2, 'LC Customer Id', 'warning', 'number-convention', '1.317.027'],
      ['Customers', 3, 'Licensed Users', 'warning', 'number-convention', '1.000'],
    ]);
    expect(loaded.issues[0]!.message).toBe(
      '"1.000" is read as 1000: in this semicolon CSV a dot groups thousands and a comma is the decimal sign (as the Excels that save such files write numbers)',
    );
    expect(rowsOf(loaded)).toEqual([
      {
        ...NUMBER_ROW,
        origin: 2,
        shortName: 'Ger1',
        siteName: 'Ger1',
        lcCustomerId: '1317027',
        site: { ...NUMBER_ROW.site, sbcId: 1000 },
      },
      {
        kind: 'customer',
        origin: 3,
        license: 'OC Essentials',
        shortName: 'Ger2',
        siteName: 'Ger2',
        site: { customVariables: {} },
        oc: { configurationName: 'OcEssential_IPGROUP_TYPE', licensedUsersCount: 1000 },
      },
    ]);
  });

  it('pandas with sep=";" and decimal=",": a whole number in a float column (1000,0) is 1000', async () => {
    const loaded = await load('numbers-pandas-semicolon.csv');
    expect(loaded.issues).toEqual([]);
    const oc = { kind: 'customer', license: 'OC Essentials', site: { customVariables: {} } };
    expect(rowsOf(loaded)).toEqual([
      { ...oc, origin: 2, shortName: 'Pds1', siteName: 'Pds1', oc: { ...OC, licensedUsersCount: 1000 } },
      {
        ...oc,
        origin: 3,
        shortName: 'Pds2',
        siteName: 'Pds2',
        oc: { configurationName: OC.configurationName },
      },
    ]);
  });

  it('a semicolon CSV with 1,000: the comma is its decimal sign, so it is refused as ambiguous', async () => {
    const loaded = await load('numbers-semicolon-comma.csv');
    expect(issuesOf(loaded)).toEqual([
      ['Customers', 2, 'Licensed Users', 'error', 'ambiguous-number', '1,000'],
    ]);
    expect(loaded.issues[0]!.message).toContain('a comma is the decimal sign, so it would be 1');
    expect(rowsOf(loaded)).toEqual([]);
  });

  it('a semicolon CSV that writes decimal points (1.5, as a Swiss Excel does): 1.000 is refused there', async () => {
    const loaded = await load('numbers-semicolon-point.csv');
    expect(issuesOf(loaded)).toEqual([
      ['Customers', 3, 'Licensed Users', 'error', 'ambiguous-number', '1.000'],
    ]);
    expect(rowsOf(loaded)).toEqual([
      {
        kind: 'customer',
        origin: 2,
        license: 'OC Essentials',
        shortName: 'Swiss1',
        siteName: 'Swiss1',
        site: { customVariables: { Ratio: '1.5' } },
        oc: OC,
      },
    ]);
  });
});

describe('="0001317" in a CSV reads as Excel shows it; nothing else that starts with = changes', () => {
  for (const name of ['idiom-csv-module.csv', 'idiom-pandas.csv'])
    it(name, async () => {
      const loaded = await load(name);
      expect(issuesOf(loaded)).toEqual([
        ['Customers', 3, 'Teams QoS Application Secret', 'error', 'secret-text-formula', MASK],
      ]);
      expect(rowsOf(loaded)).toEqual([
        {
          ...NUMBER_ROW,
          origin: 2,
          shortName: 'Idiom1',
          siteName: 'Idiom1',
          lcCustomerId: '0001317',
          channelId: '=0042',
          fullName: 'Say "hi"',
        },
        {
          ...NUMBER_ROW,
          origin: 4,
          shortName: 'Idiom3',
          siteName: 'Idiom3',
          channelId: '="00"&"42"',
          fullName: '="0001317"',
        },
      ]);
    });
});

const INDEX_ROWS = ['Idx1', 'Idx2', 'Idx3'].map((shortName, i) => ({
  ...NUMBER_ROW,
  origin: i + 2,
  shortName,
  siteName: shortName,
}));

describe("pandas' index column is one error for the file, not one per row", () => {
  for (const [name, column] of [
    ['pandas-index.csv', '(column A)'],
    ['pandas-index.xlsx', '(column A)'],
    ['pandas-unnamed.csv', 'Unnamed: 0'],
  ] as const)
    it(name, async () => {
      const loaded = await load(name);
      expect(issuesOf(loaded)).toEqual([['Customers', 1, column, 'error', 'pandas-index-column', undefined]]);
      expect(loaded.issues[0]!.message).toMatch(
        /holds the numbers 0 to 2 on 3 rows: it is the row index pandas writes by default, not data; save the file again with index=False/,
      );
      // The rows themselves are sound: --skip-invalid applies them.
      expect(rowsOf(loaded)).toEqual(INDEX_ROWS);
      expect(loaded.invalidRows).toEqual([]);
    });

  it('a first column without a header that is not an index: its value is an error on its row', async () => {
    const loaded = await load('notes-without-header.csv');
    expect(issuesOf(loaded)).toEqual([
      ['Customers', 2, '(column A)', 'error', 'value-without-header', 'call back'],
    ]);
    expect(rowsOf(loaded)).toEqual([{ ...NUMBER_ROW, origin: 3, shortName: 'Note2', siteName: 'Note2' }]);
  });
});

describe('names that look the same are one customer (or site)', () => {
  it('Cyrillic and Greek look-alikes, fullwidth letters and NFD are duplicates, saying why', async () => {
    const loaded = await load('look-alike-openpyxl.xlsx');
    expect(issuesOf(loaded)).toEqual([
      ['Customers', 2, 'Short Name', 'error', 'duplicate-short-name', 'Acme'],
      ['Customers', 3, 'Short Name', 'error', 'duplicate-short-name', '\u0410cme'],
      ['Customers', 4, 'Short Name', 'error', 'duplicate-short-name', '\uff22\uff25\uff34\uff21\uff11'],
      ['Customers', 5, 'Short Name', 'error', 'duplicate-short-name', 'beta1'],
      ['Customers', 6, 'Short Name', 'error', 'duplicate-short-name', 'Caf\u00e91'],
      ['Customers', 7, 'Short Name', 'error', 'duplicate-short-name', 'Cafe\u03011'],
      ['Customers', 8, 'Short Name', 'error', 'duplicate-short-name', '\u0395cho'],
      ['Customers', 9, 'Short Name', 'error', 'duplicate-short-name', 'Echo'],
      ['SipConnections', 2, 'Site Name', 'error', 'duplicate-site', 'Main'],
      ['SipConnections', 3, 'Site Name', 'error', 'duplicate-site', '\u041cain'],
      ['SipConnections', 4, 'Customer Short Name', 'error', 'look-alike-customer', 'D\u0435lta'],
    ]);
    const message = (sheet: string, row: number) =>
      loaded.issues.find((i) => i.sheet === sheet && i.row === row)!.message;
    expect(message('Customers', 2)).toBe(
      'short name Acme is on 2 rows (letter case ignored, and names that look the same counted as one): Customers rows 2, 3; each customer needs one row',
    );
    expect(message('Customers', 3)).toBe(
      'short name \u0410cme looks the same as Customers row 2\'s "Acme" (Cyrillic \u0410): Customers rows 2, 3; each customer needs one row',
    );
    expect(message('Customers', 5)).toContain('(fullwidth \uff22 in that name)');
    expect(message('Customers', 7)).toContain(
      '(the same letters, one with an accent typed as a separate character (Unicode NFD))',
    );
    expect(message('Customers', 9)).toContain('(Greek \u0395 in that name)');
    expect(message('SipConnections', 3)).toContain('(names that look the same: Cyrillic \u041c)');
    expect(message('SipConnections', 4)).toBe(
      'customer D\u0435lta is not in the Customers sheet but looks the same as Customers row 10\'s "Delta" (Cyrillic \u0435); type the short name as the Customers sheet has it',
    );
    expect(rowsOf(loaded)).toEqual([{ ...NUMBER_ROW, origin: 10, shortName: 'Delta', siteName: 'Delta' }]);
  });
});

describe("a cell over Excel's 32,767 characters is refused", () => {
  for (const name of ['long-cell-patched.xlsx', 'long-cell-csv-module.csv'])
    it(name, async () => {
      const loaded = await load(name);
      expect(issuesOf(loaded)).toEqual([
        ['Customers', 2, 'Full Name', 'error', 'cell-too-long', `${'x'.repeat(40)}…`],
      ]);
      expect(loaded.issues[0]!.message).toBe(
        'this cell holds 40,000 characters; Excel holds at most 32,767 in a cell (the results workbook could not write it back): shorten it',
      );
      // Exactly Excel's limit is fine.
      expect(rowsOf(loaded)).toEqual([
        { ...NUMBER_ROW, origin: 3, shortName: 'Long2', siteName: 'Long2', fullName: 'y'.repeat(32767) },
      ]);
    });
});
