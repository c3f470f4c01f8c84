/**
 * One part's XML through saxes, chunk by chunk as it inflates: never the whole part in memory.
 * Element names reach the handlers without their namespace prefix (`x:row` → `row`), as the
 * .NET Open XML SDK writes them prefixed and Excel does not.
 */
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import { RunError } from '../../model/errors.js';

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

/**
 * Feeds the part to the handlers; yields after each chunk so a caller can hand on what the
 * handlers collected (a generator, so reading pauses while the rows are used).
 */
export async function* parseXml(
  stream: Readable,
  handlers: XmlHandlers,
  source: XmlSource,
): AsyncGenerator<void> {
  const parser = new SaxesParser({ position: true });
  // A one-letter name (a cell, its value) has no prefix to drop: most tags of a sheet are one.
  parser.on('opentag', (tag) => {
    const name = tag.name;
    handlers.open(name.length === 1 ? name : localName(name), tag.attributes as Record<string, string>);
  });
  parser.on('closetag', (tag) => {
    const name = tag.name;
    handlers.close(name.length === 1 ? name : localName(name));
  });
  parser.on('text', (text) => handlers.text(text));
  parser.on('cdata', (text) => handlers.text(text));
  const decoder = new TextDecoder('utf-8');
  let sinceTag = 0;
  const feed = (text: string): void => {
    const lastTag = text.lastIndexOf('<');
    sinceTag = lastTag < 0 ? sinceTag + text.length : text.length - lastTag;
    // saxes holds a text node whole until its end tag: a huge one is refused before it is held.
    if (sinceTag > source.maxTextChars)
      throw new RunError(
        'unreadable-input',
        `${source.file}: ${source.what} holds a text of more than ${source.maxTextChars.toLocaleString('en-US')} characters, longer than Excel allows in a cell`,
        { hint: 'This is not a workbook as Excel writes it. Open it in Excel and save it again.' },
      );
    try {
      parser.write(text);
    } catch (error) {
      // A handler's own refusal passes through; anything else is saxes finding bad XML.
      throw error instanceof RunError ? error : notXml(source, error);
    }
  };
  try {
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
  } catch (error) {
    if (error instanceof RunError) throw error;
    throw new RunError(
      'unreadable-input',
      `${source.file}: ${source.what} cannot be read (${(error as Error).message})`,
      { hint: 'The file may be damaged or cut short: open it in Excel and save it again.', cause: error },
    );
  } finally {
    stream.destroy();
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
