/**
 * The hand scanner against saxes: for random worksheet and shared-string XML (plain, odd, and
 * damaged), cut into random chunks, parseXml with the scanner hands on exactly the events saxes
 * alone does, and refuses exactly what saxes refuses with the same message.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunError } from '../../src/model/errors.js';
import { parseXml, type XmlHandlers } from '../../src/input/xlsx/xml.js';

const source = {
  file: 'book.xlsx',
  what: 'sheet "Customers" (xl/worksheets/sheet1.xml)',
  maxTextChars: 4096,
};

/** The part as inflated chunks cut at the given byte offsets (a cut may fall inside a character). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...at, bytes.length]) {
    if (cut > from) out.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out;
}

/** Every event and the outcome, as JSON; `reopened` counts the times saxes had to read the part again. */
async function read(xml: string, cuts: number[], scan: boolean) {
  const chunks = chunked(Buffer.from(xml, 'utf8'), cuts);
  const events: unknown[] = [];
  const handlers: XmlHandlers = {
    open: (name, attributes) => events.push(['open', name, Object.entries(attributes)]),
    close: (name) => events.push(['close', name]),
    text: (text) => events.push(['text', text]),
  };
  let reopened = 0;
  const reopen = () => {
    reopened++;
    return Promise.resolve(Readable.from(chunks));
  };
  let outcome = 'read';
  try {
    for await (const _ of parseXml(Readable.from(chunks), handlers, source, scan ? reopen : undefined)) {
      // What was handed on is in `events` (after a fallback, saxes' read of the part yields again).
    }
  } catch (error) {
    outcome = error instanceof RunError ? `${error.code}: ${error.message}` : `thrown: ${String(error)}`;
  }
  return { events: JSON.stringify(events), outcome, reopened };
}

const pick = <T>(...values: T[]) => fc.constantFrom(...values);

/** Text as writers write it (references, emoji, line ends) and, when `odd`, what only saxes reads or refuses. */
const textOf = (odd: boolean) =>
  fc
    .array(
      fc.oneof(
        { weight: 10, arbitrary: fc.stringMatching(/^[A-Za-z0-9 _.,;:=/+-]{0,6}$/) },
        {
          weight: 2,
          arbitrary: pick('&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x1F600;', '&#x41;', '>'),
        },
        {
          weight: 2,
          arbitrary: pick(
            'é',
            '😀',
            '\r\n',
            '\r',
            '\t',
            '\n',
            ' ',
            ']',
            '_x000D_',
            '_x005F_x0041_',
            '"',
            "'",
          ),
        },
        {
          weight: odd ? 2 : 0,
          arbitrary: pick(
            '&#0;',
            '&bogus;',
            '&amp',
            '\uD800',
            '\uFFFE',
            '\u0000',
            '\u0007',
            ']]>',
            ']]',
            '<!-- note -->',
          ),
        },
        {
          weight: odd ? 2 : 0,
          arbitrary: pick('<![CDATA[a<b]]>', '<?pi x?>', '<', '&', '&#xD800;', '&#1114112;'),
        },
      ),
      { maxLength: 5 },
    )
    .map((parts) => parts.join(''));

const space = pick(' ', '  ', '\n', '\t', '\r\n');

const attributesOf = (odd: boolean) => {
  const value = fc.oneof(
    { weight: 6, arbitrary: pick('A1', 'B12', 's', 'inlineStr', '1', 'true', '1:17', '') },
    textOf(odd),
  );
  const names = ['r', 's', 't', 'hidden', 'spans', 'ref', 'x14ac:dyDescent', 'xml:space'];
  const named = fc.tuple(pick(...names, ...(odd ? ['constructor', '__proto__', 'é', '1a'] : [])), value);
  // Twice the same attribute is for the damaged and odd ones.
  const list = odd
    ? fc.array(named, { maxLength: 3 })
    : fc.uniqueArray(named, { maxLength: 3, selector: ([n]) => n });
  const attribute = ([n, v]: [string, string]) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(` ${n}="${v.replace(/["<&\r\n\t]/g, '')}"`) },
      fc
        .tuple(space, space, space, pick('"', "'"))
        .map(
          ([a, b, c, q]) => `${a}${n}${b}=${c}${q}${odd ? v : v.replaceAll(q, '').replaceAll('<', '')}${q}`,
        ),
      { weight: odd ? 1 : 0, arbitrary: fc.constant(` ${n}=${v}`) },
    );
  return list.chain((pairs) => fc.tuple(...pairs.map(attribute))).map((parts) => parts.join(''));
};

/** An element tree of the names a sheet holds, with random attributes and text. */
const elementOf = (odd: boolean) => {
  const text = textOf(odd);
  const attributes = attributesOf(odd);
  const names = ['c', 'v', 'f', 't', 'is', 'r', 'rPh', 'row', 'si', 'x:c', 'x:row', 'mergeCell', 'a.b-c_1'];
  const name = pick(...names, ...(odd ? ['é', ':c', 'a·b'] : []));
  const element: fc.Memo<string> = fc.memo((depth) =>
    fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc
        .tuple(name, attributes, pick('/>', ' />', ...(odd ? ['/ >'] : [])))
        .map(([n, a, end]) => `<${n}${a}${end}`),
      fc
        .tuple(
          name,
          attributes,
          fc.array(depth > 1 ? element(depth - 1) : text, { maxLength: 4 }),
          pick('', ' ', '\n'),
        )
        .map(([n, a, inner, close]) => `<${n}${a}>${inner.join('')}</${n}${close}>`),
    ),
  );
  return element(4);
};

const declaration = (odd: boolean) =>
  pick(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    "<?xml version='1.0' encoding='utf-8'?>\n",
    '',
    ' \r\n',
    ...(odd
      ? [
          '<?xml version="1.1"?>',
          '<?xml version="1.0" ?>',
          '<?xml-stylesheet href="a"?>',
          ' <?xml version="1.0"?>',
        ]
      : []),
    ...(odd ? ['<!DOCTYPE worksheet>', '\uFEFF<?xml version="1.0"?>', '<!-- made by hand -->'] : []),
  );

const sheetOf = (odd: boolean) =>
  fc
    .tuple(
      declaration(odd),
      pick('worksheet', 'x:worksheet', 'sst'),
      fc.array(elementOf(odd), { maxLength: 6 }),
      pick('', '\n', '\r\n', ...(odd ? [' x', '<a/>', '<!-- end -->'] : [])),
    )
    .map(
      ([decl, root, inner, after]) =>
        `${decl}<${root} xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${inner.join('')}</${root}>${after}`,
    );
const sheet = fc.oneof({ weight: 2, arbitrary: sheetOf(false) }, sheetOf(true));

/** A damaged copy: a character dropped or put in, or the part cut short. */
const damaged = fc
  .tuple(sheet, fc.nat(), pick('drop', 'insert', 'cut'), pick('<', '>', '&', '"', '/', '\u0001', 'x'))
  .map(([xml, at, how, char]) => {
    const i = at % (xml.length + 1);
    if (how === 'drop') return xml.slice(0, i) + xml.slice(i + 1);
    if (how === 'insert') return xml.slice(0, i) + char + xml.slice(i);
    return xml.slice(0, i);
  });

const cuts = fc.array(fc.nat(), { maxLength: 6 });

describe('the hand XML scanner', () => {
  it('hands on the events saxes hands on, and refuses what saxes refuses, with its message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(sheet, damaged), cuts, async (xml, at) => {
        const scanned = await read(xml, at, true);
        const saxes = await read(xml, at, false);
        expect(scanned.outcome).toBe(saxes.outcome);
        expect(scanned.events).toBe(saxes.events);
      }),
      { numRuns: 400 },
    );
  });

  it('reads a plain sheet without saxes, in any chunks, and an odd one through saxes', async () => {
    const plain =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="m"><sheetData>' +
      '<row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c><c r=\'B1\' t = "inlineStr"><is><t xml:space="preserve"> a &amp; b 😀\r\n</t></is></c></row>' +
      '</sheetData><mergeCells count="1"><mergeCell ref="A1:A2"/></mergeCells></worksheet>\n';
    for (const at of [[], [1], [3, 60, 61, 200], [150, 151, 152, 153]]) {
      const scanned = await read(plain, at, true);
      expect(scanned.reopened).toBe(0);
      expect(scanned.events).toBe((await read(plain, at, false)).events);
      expect(scanned.events).toContain('["text"," a & b 😀\\n"]');
    }
    const odd = plain.replace('<v>0</v>', '<v>0</v><!-- typed by hand -->');
    const scanned = await read(odd, [100], true);
    expect(scanned.reopened).toBe(1);
    expect(scanned.events).toBe((await read(odd, [100], false)).events);
  });

  it('refuses damaged XML with the message saxes gives, after the rows before it were handed on', async () => {
    const xml =
      '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData></worksheet>';
    const broken = xml.replace('</c></row><row r="2">', '</c></row><row r="2"><c r="A2"></row>');
    const scanned = await read(broken, [], true);
    expect(scanned.outcome).toMatch(
      /^unreadable-input: .* is not well-formed XML \(\d+:\d+: unexpected close tag\.\)$/,
    );
    expect(scanned).toEqual({ ...(await read(broken, [], false)), reopened: 1 });
  });
});
