/**
 * The style part (xl/styles.xml) of a workbook, holding exactly the cell formats its cells use. A format
 * is given as exceljs describes one (font, solid fill, alignment: what the results workbook uses) and is
 * numbered the first time a cell asks for it, by the object itself: the sheets share one object per look.
 */
import type ExcelJS from 'exceljs';
import { escapeXml } from './xml-text.js';

export type Style = Partial<ExcelJS.Style>;

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
/** The workbook's own font (font 0): Calibri 11, what Excel and LibreOffice show unformatted cells in. */
const DEFAULT_FONT = '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>';
/** Fills 0 and 1 are reserved by the format: none and gray125. */
const RESERVED_FILLS = [
  '<fill><patternFill patternType="none"/></fill>',
  '<fill><patternFill patternType="gray125"/></fill>',
];

export class StyleTable {
  private readonly ids = new Map<Style, number>();
  private readonly formats: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly fonts: string[] = [DEFAULT_FONT];
  private readonly fills: string[] = [...RESERVED_FILLS];

  /** The number of a cell format (0: none); an empty style is format 0. */
  idOf(style: Style | undefined): number {
    if (style === undefined) return 0;
    const known = this.ids.get(style);
    if (known !== undefined) return known;
    const xml = this.formatXml(style);
    let id = this.formats.indexOf(xml);
    if (id < 0) id = this.formats.push(xml) - 1;
    this.ids.set(style, id);
    return id;
  }

  xml(): string {
    const list = (tag: string, items: string[]) =>
      `<${tag} count="${items.length}">${items.join('')}</${tag}>`;
    return (
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN}">` +
      list('fonts', this.fonts) +
      list('fills', this.fills) +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      list('cellXfs', this.formats) +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    );
  }

  private formatXml(style: Style): string {
    const font = style.font ? indexIn(this.fonts, fontXml(style.font)) : 0;
    const fill = style.fill ? indexIn(this.fills, fillXml(style.fill)) : 0;
    const alignment = style.alignment ? alignmentXml(style.alignment) : '';
    const applied =
      (font ? ' applyFont="1"' : '') +
      (fill ? ' applyFill="1"' : '') +
      (alignment ? ' applyAlignment="1"' : '');
    const head = `<xf numFmtId="0" fontId="${font}" fillId="${fill}" borderId="0" xfId="0"${applied}`;
    return alignment ? `${head}>${alignment}</xf>` : `${head}/>`;
  }
}

/** The index of `xml` in `list`, added at the end when new. */
function indexIn(list: string[], xml: string): number {
  const at = list.indexOf(xml);
  return at >= 0 ? at : list.push(xml) - 1;
}

function fontXml(font: Partial<ExcelJS.Font>): string {
  return (
    '<font>' +
    (font.bold ? '<b/>' : '') +
    (font.italic ? '<i/>' : '') +
    `<sz val="${font.size ?? 11}"/>` +
    `<name val="${escapeXml(font.name ?? 'Calibri')}"/>` +
    (font.family !== undefined ? `<family val="${font.family}"/>` : '') +
    '</font>'
  );
}

function fillXml(fill: ExcelJS.Fill): string {
  if (fill.type !== 'pattern' || fill.pattern !== 'solid' || !fill.fgColor?.argb)
    throw new Error('a results workbook fill is a solid colour');
  return `<fill><patternFill patternType="solid"><fgColor rgb="${fill.fgColor.argb}"/></patternFill></fill>`;
}

function alignmentXml(alignment: Partial<ExcelJS.Alignment>): string {
  const attributes =
    // exceljs's 'middle' is the format's 'center'.
    (alignment.vertical
      ? ` vertical="${alignment.vertical === 'middle' ? 'center' : alignment.vertical}"`
      : '') + (alignment.wrapText ? ' wrapText="1"' : '');
  return attributes ? `<alignment${attributes}/>` : '';
}
