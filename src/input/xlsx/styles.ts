/**
 * The number format of each cell style (`s` attribute → `cellXfs` → `numFmtId` → format code),
 * so that a date is known as a date and a number reads as its cell shows it.
 */
import type { Readable } from 'node:stream';
import { parseWholePart, type XmlSource } from './xml.js';

// The built-in formats (ids 0–49) Excel does not write into styles.xml.
const BUILT_IN: Record<number, string> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  // 5–8 and 41–44 depend on the locale; these are the en-US forms Excel shows for them.
  5: '"$"#,##0_);("$"#,##0)',
  6: '"$"#,##0_);[Red]("$"#,##0)',
  7: '"$"#,##0.00_);("$"#,##0.00)',
  8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy h:mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;[Red](#,##0.00)',
  41: '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)',
  42: '_("$"* #,##0_);_("$"* (#,##0);_("$"* "-"_);_(@_)',
  43: '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)',
  44: '_("$"* #,##0.00_);_("$"* (#,##0.00);_("$"* "-"??_);_(@_)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
};
// Ids 27–36 and 50–58 are dates in the East Asian versions of Excel.
for (let id = 27; id <= 36; id++) BUILT_IN[id] = 'yyyy-mm-dd';
for (let id = 50; id <= 58; id++) BUILT_IN[id] = 'yyyy-mm-dd';

/**
 * Format code per style index (the `s` of a cell); undefined is General. Only the workbook's own
 * `<numFmts>` define codes: a conditional format's `<dxf>` may carry a `<numFmt>` reusing an id,
 * and it applies only while its rule holds, never to the cell's own style.
 */
export async function readStyles(stream: Readable, source: XmlSource): Promise<Array<string | undefined>> {
  const custom = new Map<number, string>();
  const styleFormats: number[] = [];
  let inNumFmts = false;
  let inCellXfs = false;
  await parseWholePart(
    stream,
    {
      open(name, attributes) {
        if (name === 'numFmts') inNumFmts = true;
        else if (name === 'numFmt' && inNumFmts && attributes.numFmtId !== undefined)
          custom.set(Number(attributes.numFmtId), attributes.formatCode ?? '');
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) styleFormats.push(Number(attributes.numFmtId ?? 0));
      },
      close(name) {
        if (name === 'numFmts') inNumFmts = false;
        else if (name === 'cellXfs') inCellXfs = false;
      },
      text() {},
    },
    source,
  );
  return styleFormats.map((id) => custom.get(id) ?? BUILT_IN[id]);
}
