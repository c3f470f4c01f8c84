/**
 * What makes a file usable CSV text, checked on its bytes: not UTF-16, not a zip, no NUL bytes, and
 * UTF-8 throughout (checked chunk by chunk as the records are read, never decoded here).
 */
import { isUtf8 } from 'node:buffer';
import { RunError } from '../model/errors.js';

/** The error for a CSV file lpsync cannot read, with the usual way to save it right. */
export function unreadable(file: string, what: string, hint?: string): RunError {
  return new RunError('unreadable-input', `${file}: ${what}`, {
    hint: hint ?? 'Save it as "CSV UTF-8 (comma delimited)" from Excel.',
  });
}

/** Refuses what is not UTF-8 text: a UTF-16 BOM, NUL bytes (UTF-16 without BOM, binary), a zip. */
export function sniff(file: string, head: Buffer): void {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    throw unreadable(
      file,
      'is UTF-16 text (Excel\'s "Unicode Text"); lpsync reads UTF-8 CSV',
      'In Excel use File › Save As › "CSV UTF-8 (comma delimited) (*.csv)".',
    );
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    throw unreadable(
      file,
      'is a zip file (an .xlsx workbook?), not CSV text',
      'Give an .xlsx workbook a .xlsx name.',
    );
  const sample = head.subarray(0, 4096);
  let nuls = 0;
  for (const byte of sample) if (byte === 0) nuls++;
  if (nuls > 0)
    throw unreadable(
      file,
      `is not UTF-8 text (${nuls} NUL bytes in its first ${sample.length}: UTF-16 or binary)`,
    );
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      // A sequence cut by the end of the chunk is not an error here.
      if (i + k >= bytes.length) return -1;
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

function notUtf8(file: string, line: number, byte: number | undefined): RunError {
  const where =
    byte === undefined
      ? ''
      : ` (line ${line} has the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')})`;
  return unreadable(
    file,
    `is not UTF-8 text${where}: it looks like Excel's "CSV (comma delimited)" in a Windows code page (Windows-1252/ANSI), which lpsync does not guess`,
    'In Excel use File › Save As › "CSV UTF-8 (comma delimited) (*.csv)"; in LibreOffice choose the character set "Unicode (UTF-8)".',
  );
}

/** Bytes at the end of `bytes` that begin a UTF-8 sequence the next chunk completes (0 to 3). */
function cutSequence(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

function newlines(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < end; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
}

/**
 * The file's bytes, each chunk checked to be UTF-8 (a sequence cut by a chunk's end is checked with
 * the next) and the BOM dropped: whole UTF-8 sequences, which the split (csv-records.ts) decodes a
 * chunk at a time and csv-parse reads as bytes.
 */
export async function* checkedUtf8(
  file: string,
  chunks: AsyncIterator<Buffer>,
  first: Buffer,
): AsyncGenerator<Buffer> {
  let lines = 1;
  let carried: Buffer | undefined;
  const check = (chunk: Buffer, last: boolean): Buffer => {
    const bytes = carried ? Buffer.concat([carried, chunk]) : chunk;
    const cut = last ? 0 : cutSequence(bytes);
    const whole = cut ? bytes.subarray(0, bytes.length - cut) : bytes;
    carried = cut ? bytes.subarray(bytes.length - cut) : undefined;
    if (!isUtf8(whole)) {
      // -1: the file ends inside a sequence (no byte to name).
      const at = firstInvalidUtf8(whole);
      throw notUtf8(
        file,
        lines + newlines(whole, at < 0 ? whole.length : at),
        at < 0 ? undefined : whole[at],
      );
    }
    lines += newlines(whole);
    return whole;
  };
  const bom = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
  yield check(bom ? first.subarray(3) : first, false);
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield check(next.value, false);
  if (carried) yield check(Buffer.alloc(0), true);
}
