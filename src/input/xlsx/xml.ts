/**
 * One part's XML through saxes (or, for worksheets and shared strings, first the hand scanner of
 * xml-scan.ts), chunk by chunk as it inflates: never the whole part in memory.
 * Element names reach the handlers without their namespace prefix (`x:row` → `row`), as the
 * .NET Open XML SDK writes them prefixed and Excel does not.
 */
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import { RunError } from '../../model/errors.js';
import { xmlScanner } from './xml-scan.js';

export interface XmlHandlers {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  text(text: string): void;
}

/** `x:row` → `row`. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** An attribute by its local name (`r:id`, `rel:id` → `id`); a plain name is looked up as it is. */
export function prefixedAttribute(attributes: Record<string, string>, local: string): string | undefined {
  for (const [name, value] of Object.entries(attributes))
    if (name.includes(':') && localName(name) === local) return value;
  return undefined;
}

export interface XmlSource {
  file: string;
  /** The part as people know it, for messages: `sheet "Customers" (xl/worksheets/sheet1.xml)`. */
  what: string;
  /** Longest run of text between two tags: past it a cell is longer than any Excel writes. */
  maxTextChars: number;
}

/** The limit on a text's length, checked on each chunk before either parser sees it. */
function textGuard(source: XmlSource): (text: string) => void {
  let sinceTag = 0;
  return (text) => {
    const lastTag = text.lastIndexOf('<');
    sinceTag = lastTag < 0 ? sinceTag + text.length : text.length - lastTag;
    // saxes holds a text node whole until its end tag: a huge one is refused before it is held.
    if (sinceTag > source.maxTextChars)
      throw new RunError(
        'unreadable-input',
        `${source.file}: ${source.what} holds a text of more than ${source.maxTextChars.toLocaleString('en-US')} characters, longer than Excel allows in a cell`,
        { hint: 'This is not a workbook as Excel writes it. Open it in Excel and save it again.' },
      );
  };
}

/** Handlers that count what they hand on, and drop the first `skip` events (already handed on by the scanner). */
function counted(handlers: XmlHandlers, skip: number): XmlHandlers & { events: number } {
  const out = {
    events: 0,
    open(name: string, attributes: Record<string, string>) {
      // A one-letter name (a cell, its value) has no prefix to drop: most tags of a sheet are one.
      if (++out.events > skip) handlers.open(name.length === 1 ? name : localName(name), attributes);
    },
    close(name: string) {
      if (++out.events > skip) handlers.close(name.length === 1 ? name : localName(name));
    },
    text(text: string) {
      if (++out.events > skip) handlers.text(text);
    },
  };
  return out;
}

/** A handler's own refusal passes through; anything else is the parser finding bad XML. */
function written(source: XmlSource, write: () => void): void {
  try {
    write();
  } catch (error) {
    throw error instanceof RunError ? error : notXml(source, error);
  }
}

/** The part through the hand scanner: undefined when it read it all, else how many events it handed on. */
async function* scanned(
  stream: Readable,
  handlers: XmlHandlers,
  source: XmlSource,
): AsyncGenerator<void, number | undefined> {
  const out = counted(handlers, 0);
  const scanner = xmlScanner(out);
  const guard = textGuard(source);
  const decoder = new TextDecoder('utf-8');
  let handled = true;
  for await (const chunk of stream) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    guard(text);
    written(source, () => (handled = scanner.write(text)));
    if (!handled) return out.events;
    yield;
  }
  const rest = decoder.decode();
  guard(rest);
  written(source, () => (handled = scanner.write(rest) && scanner.close()));
  if (!handled) return out.events;
  yield;
  return undefined;
}

/** The part through saxes, the first `skip` events not handed on. */
async function* saxed(
  stream: Readable,
  handlers: XmlHandlers,
  source: XmlSource,
  skip: number,
): AsyncGenerator<void> {
  const parser = new SaxesParser({ position: true });
  const out = counted(handlers, skip);
  parser.on('opentag', (tag) => out.open(tag.name, tag.attributes as Record<string, string>));
  parser.on('closetag', (tag) => out.close(tag.name));
  parser.on('text', (text) => out.text(text));
  parser.on('cdata', (text) => out.text(text));
  const guard = textGuard(source);
  const decoder = new TextDecoder('utf-8');
  const feed = (text: string): void => {
    guard(text);
    written(source, () => parser.write(text));
  };
  for await (const chunk of stream) {
    feed(decoder.decode(chunk as Buffer, { stream: true }));
    yield;
  }
  feed(decoder.decode());
  try {
    parser.close();
  } catch (error) {
    throw notXml(source, error);
  }
  yield;
}

/**
 * Feeds the part to the handlers; yields after each chunk so a caller can hand on what the
 * handlers collected (a generator, so reading pauses while the rows are used). With `reopen`,
 * the hand scanner reads it first; at anything it leaves to saxes, saxes reads the part again
 * from its start and hands on only the events after the scanner's (the same events: see xml-scan).
 */
export async function* parseXml(
  stream: Readable,
  handlers: XmlHandlers,
  source: XmlSource,
  reopen?: () => Promise<Readable>,
): AsyncGenerator<void> {
  let reading = stream;
  try {
    let skip = 0;
    if (reopen) {
      const handed = yield* scanned(reading, handlers, source);
      if (handed === undefined) return;
      skip = handed;
      reading.destroy();
      reading = await reopen();
    }
    yield* saxed(reading, handlers, source, skip);
  } catch (error) {
    if (error instanceof RunError) throw error;
    throw new RunError(
      'unreadable-input',
      `${source.file}: ${source.what} cannot be read (${(error as Error).message})`,
      { hint: 'The file may be damaged or cut short: open it in Excel and save it again.', cause: error },
    );
  } finally {
    reading.destroy();
  }
}

function notXml(source: XmlSource, error: unknown): RunError {
  return new RunError(
    'unreadable-input',
    `${source.file}: ${source.what} is not well-formed XML (${(error as Error).message})`,
    { hint: 'The file is damaged: open it in Excel and save it again.', cause: error },
  );
}

/** Reads a small part (relationships, workbook, styles) to its end. */
export async function parseWholePart(
  stream: Readable,
  handlers: XmlHandlers,
  source: XmlSource,
): Promise<void> {
  for await (const _ of parseXml(stream, handlers, source)) {
    // The handlers keep what they need.
  }
}
