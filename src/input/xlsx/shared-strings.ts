/**
 * The shared-string table: every distinct text of the workbook, held in memory (the floor of
 * memory for any reader). Rich text is its runs joined; phonetic runs (`<rPh>`, the reading
 * Japanese Excel adds above kanji) are not part of the text and are dropped.
 */
import type { Readable } from 'node:stream';
import { RunError } from '../../model/errors.js';
import { unescapeExcelText } from './text-escapes.js';
import { parseXml, type XmlSource } from './xml.js';

export async function readSharedStrings(
  stream: Readable,
  source: XmlSource,
  maxStrings: number,
  reopen?: () => Promise<Readable>,
): Promise<string[]> {
  const strings: string[] = [];
  let current = '';
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  const handlers = {
    open(name: string) {
      if (name === 'si') {
        inItem = true;
        current = '';
      } else if (name === 't') inText = true;
      else if (name === 'rPh') phonetic++;
    },
    close(name: string) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        inItem = false;
        strings.push(unescapeExcelText(current));
        if (strings.length > maxStrings)
          throw new RunError(
            'unreadable-input',
            `${source.file}: its shared-string table holds more than ${maxStrings.toLocaleString('en-US')} texts; lpsync reads at most that many`,
            { hint: 'Split the workbook into several smaller ones.' },
          );
      }
    },
    text(text: string) {
      if (inItem && inText && phonetic === 0) current += text;
    },
  };
  for await (const _ of parseXml(stream, handlers, source, reopen)) {
    // Strings are kept as they complete.
  }
  return strings;
}
