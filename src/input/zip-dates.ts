/**
 * Byte-for-byte reproducible .xlsx files: a zip holds each entry's modification time (exceljs writes
 * the moment of writing), so the same workbook written twice differs. This sets every entry's time and
 * date, in its local header and in the central directory, to one fixed moment; nothing else changes.
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;

/** A moment as a zip stores it (MS-DOS time and date, two-second steps, from 1980), in UTC. */
function dosTimeAndDate(at: Date): { time: number; date: number } {
  const year = Math.max(1980, at.getUTCFullYear());
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

/** Sets every entry of the zip in `zip` to `at`, in place; throws on a buffer that is not a zip. */
export function fixZipDates(zip: Buffer, at: Date): Buffer {
  const { time, date } = dosTimeAndDate(at);
  // The end record is the last 22 bytes, or earlier by the length of a comment.
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL) end -= 1;
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const entries = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_HEADER)
      throw new Error('not a zip: a damaged central directory');
    zip.writeUInt16LE(time, offset + 12);
    zip.writeUInt16LE(date, offset + 14);
    const local = zip.readUInt32LE(offset + 42);
    if (zip.readUInt32LE(local) !== LOCAL_HEADER) throw new Error('not a zip: a damaged local header');
    zip.writeUInt16LE(time, local + 10);
    zip.writeUInt16LE(date, local + 12);
    offset +=
      46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return zip;
}
