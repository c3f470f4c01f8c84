/**
 * The parts around the worksheets: content types, relationships, document properties and the
 * workbook part, whose defined names carry each sheet's print titles, print area and filter range.
 */
import type { SheetWriter } from './sheet-part.js';
import { filterRange } from './sheet-part.js';
import { escapeXml } from './xml-text.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOCUMENT = 'http://schemas.openxmlformats.org/officeDocument/2006';
const OFFICE = 'application/vnd.openxmlformats-officedocument';

/** The part name of the n-th (1-based) worksheet. */
export const sheetPart = (n: number) => `xl/worksheets/sheet${n}.xml`;

export function contentTypes(sheets: number): string {
  const override = (part: string, type: string) => `<Override PartName="/${part}" ContentType="${type}"/>`;
  const worksheets = Array.from({ length: sheets }, (_, i) =>
    override(sheetPart(i + 1), `${OFFICE}.spreadsheetml.worksheet+xml`),
  );
  return (
    `${DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    override('xl/workbook.xml', `${OFFICE}.spreadsheetml.sheet.main+xml`) +
    worksheets.join('') +
    override('xl/styles.xml', `${OFFICE}.spreadsheetml.styles+xml`) +
    override('docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml') +
    override('docProps/app.xml', `${OFFICE}.extended-properties+xml`) +
    '</Types>'
  );
}

function relationships(items: ReadonlyArray<readonly [type: string, target: string]>): string {
  const each = items.map(
    ([type, target], i) => `<Relationship Id="rId${i + 1}" Type="${type}" Target="${target}"/>`,
  );
  return `${DECLARATION}<Relationships xmlns="${PACKAGE_RELATIONSHIPS}">${each.join('')}</Relationships>`;
}

export function packageRelationships(): string {
  return relationships([
    [`${DOCUMENT}/relationships/officeDocument`, 'xl/workbook.xml'],
    [`${PACKAGE_RELATIONSHIPS}/metadata/core-properties`, 'docProps/core.xml'],
    [`${DOCUMENT}/relationships/extended-properties`, 'docProps/app.xml'],
  ]);
}

/** The workbook's relationships: its sheets first (rId1…), then the styles. */
export function workbookRelationships(sheets: number): string {
  return relationships([
    ...Array.from(
      { length: sheets },
      (_, i) => [`${DOCUMENT}/relationships/worksheet`, `worksheets/sheet${i + 1}.xml`] as const,
    ),
    [`${DOCUMENT}/relationships/styles`, 'styles.xml'],
  ]);
}

export function coreProperties(creator: string, at: Date): string {
  const when = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `${DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:creator>${escapeXml(creator)}</dc:creator><cp:lastModifiedBy>${escapeXml(creator)}</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`
  );
}

export function appProperties(application: string, sheets: readonly SheetWriter[]): string {
  const names = sheets.map((s) => `<vt:lpstr>${escapeXml(s.name)}</vt:lpstr>`).join('');
  return (
    `${DECLARATION}<Properties xmlns="${DOCUMENT}/extended-properties" xmlns:vt="${DOCUMENT}/docPropsVTypes">` +
    `<Application>${escapeXml(application)}</Application>` +
    '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>' +
    `<vt:variant><vt:i4>${sheets.length}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
    `<TitlesOfParts><vt:vector size="${sheets.length}" baseType="lpstr">${names}</vt:vector></TitlesOfParts>` +
    '</Properties>'
  );
}

export function workbookPart(sheets: readonly SheetWriter[]): string {
  const list = sheets.map(
    (s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
  );
  const names = sheets.flatMap((s, i) => definedNames(s, i));
  return (
    `${DECLARATION}<workbook xmlns="${MAIN}" xmlns:r="${DOCUMENT}/relationships">` +
    '<bookViews><workbookView/></bookViews>' +
    `<sheets>${list.join('')}</sheets>` +
    (names.length ? `<definedNames>${names.join('')}</definedNames>` : '') +
    '<calcPr calcId="191029"/></workbook>'
  );
}

/** A sheet's built-in names: its filter range (hidden, as Excel keeps it), print area and print titles. */
function definedNames(sheet: SheetWriter, index: number): string[] {
  // A sheet name in a reference is quoted, a quote in it doubled: 'Bob''s'!$1:$1.
  const prefix = `'${sheet.name.replace(/'/g, "''")}'!`;
  const name = (builtIn: string, ref: string, hidden = false) =>
    `<definedName name="_xlnm.${builtIn}" localSheetId="${index}"${hidden ? ' hidden="1"' : ''}>` +
    `${escapeXml(prefix + ref)}</definedName>`;
  const { page, filterColumns } = sheet.setup;
  const out: string[] = [];
  if (filterColumns)
    out.push(name('_FilterDatabase', absolute(filterRange(filterColumns, sheet.rows)), true));
  if (page.printArea) out.push(name('Print_Area', absolute(page.printArea)));
  if (page.printTitlesRow) out.push(name('Print_Titles', page.printTitlesRow.replace(/(\d+)/g, '$$$1')));
  return out;
}

/** "A1:D5" (or "A$1:D$5") as "$A$1:$D$5". */
function absolute(range: string): string {
  return range.replace(/\$?([A-Z]+)\$?(\d+)/g, '$$$1$$$2');
}
