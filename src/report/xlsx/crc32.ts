/**
 * CRC-32 (the ZIP one) of a buffer, continued from `previous`: zlib's own where Node has it
 * (20.15 and later), else a table-driven one (package.json allows Node 20.0).
 */
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, previous?: number) => number;

/** The table of the reflected polynomial 0xEDB88320, one entry per byte value. */
function crcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The CRC-32 computed here, without zlib: for the Node versions that lack `zlib.crc32`. */
export function tableCrc32(): Crc32 {
  const table = crcTable();
  return (data, previous = 0) => {
    let c = (previous ^ 0xffffffff) >>> 0;
    for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
}

const native = (zlib as { crc32?: Crc32 }).crc32;

export const crc32: Crc32 = native ?? tableCrc32();
