/**
 * A minimal zip writer for hostile test files: real DEFLATE data and CRCs, and parts that
 * repeat one chunk many times (a zip bomb is built in a second: each chunk is compressed once
 * with a full flush, which makes its bytes valid at any position of the stream).
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** The part's bytes: a head, a body repeated `times`, a tail. */
  head?: string | Buffer;
  body?: string | Buffer;
  times?: number;
  tail?: string | Buffer;
}

const bytes = (b: string | Buffer | undefined) => (b === undefined ? Buffer.alloc(0) : Buffer.from(b));

function compressed(part: ZipPart): { data: Buffer[]; crc: number; size: number } {
  const head = bytes(part.head);
  const body = bytes(part.body);
  const tail = bytes(part.tail);
  const times = part.times ?? (body.length ? 1 : 0);
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const bodyZ = deflateRawSync(body, flush);
  const data = [deflateRawSync(head, flush)];
  for (let i = 0; i < times; i++) data.push(bodyZ);
  data.push(deflateRawSync(tail));
  let crc = crc32(head);
  for (let i = 0; i < times; i++) crc = crc32(body, crc);
  crc = crc32(tail, crc);
  return { data, crc, size: head.length + body.length * times + tail.length };
}

/** The zip file's bytes (sizes below 4 GB: no zip64). */
export function zipBytes(parts: ZipPart[]): Buffer {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const { data, crc, size } = compressed(part);
    const csize = data.reduce((n, b) => n + b.length, 0);
    const name = Buffer.from(part.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(0x21, 10); // 1980-01-01 00:00
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(csize, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(0x21, 12);
    entry.writeUInt32LE(crc >>> 0, 16);
    entry.writeUInt32LE(csize, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    out.push(local, name, ...data);
    offset += local.length + name.length + csize;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, cd, end]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a workbook around the given sheets (name → sheet part); shared strings if given. */
export function workbookParts(
  sheets: Array<{ name: string; part: ZipPart }>,
  extra: ZipPart[] = [],
): ZipPart[] {
  const rels = sheets
    .map(
      (s, i) =>
        `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
    )
    .join('');
  const shared = extra.some((p) => p.name === 'xl/sharedStrings.xml')
    ? `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`
    : '';
  return [
    {
      name: '_rels/.rels',
      head: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      head: `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets
        .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
        .join('')}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      head: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}${shared}</Relationships>`,
    },
    ...sheets.map((s, i) => ({ ...s.part, name: `xl/worksheets/sheet${i + 1}.xml` })),
    ...extra,
  ];
}

/** A sheet's XML: the header row, then `body` repeated `times`. */
export function sheetPart(header: string[], body: string, times: number, tail = ''): ZipPart {
  const cells = header.map((h) => `<c t="inlineStr"><is><t>${h}</t></is></c>`).join('');
  return {
    name: '',
    head: `<worksheet xmlns="${MAIN}"><sheetData><row>${cells}</row>`,
    body,
    times,
    tail: `${tail}</sheetData></worksheet>`,
  };
}
