import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import winston from 'winston';
import { logJson } from '../../src/cli/log-json.js';
import { createRunLogger, SHOWN_BY_PROGRESS } from '../../src/cli/logging.js';
import { createRedactor } from '../../src/model/redact.js';

/** What winston's JSON format wrote for one entry (the format lpsync's log lines kept when it left winston). */
function winstonJson(entry: Record<string, unknown>): string {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  });
  const logger = winston.createLogger({
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  const { level, message, ...fields } = entry as { level: string; message: string };
  logger.log(level, message, fields);
  return out.trimEnd();
}

const ESC = String.fromCharCode(27);

const field = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: false }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('the run log', () => {
  it('writes the JSON line winston wrote, for any fields', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string().filter((k) => !['level', 'message', '__proto__'].includes(k)),
          field,
          { maxKeys: 6 },
        ),
        // winston left a message's fields out when its text held a %-token (it took them for printf
        // arguments): lpsync's log keeps them, so such messages are not compared here.
        fc.string().filter((m) => !m.includes('%')),
        (fields, message) => {
          const entry = { ...fields, level: 'info', message };
          expect(logJson(entry)).toBe(winstonJson(entry));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes index-like keys in string order, as winston did', () => {
    const entry = {
      level: 'info',
      message: 'm',
      9: 'nine',
      10: 'ten',
      nested: { 2: 'b', 11: 'a', z: [{ 1: 1 }] },
    };
    expect(logJson(entry)).toBe(winstonJson(entry));
    expect(logJson(entry)).toContain('"10":"ten","9":"nine"');
  });

  it('writes a value met inside itself as "[Circular]" and a bigint as text', () => {
    const loop: Record<string, unknown> = { name: 'a' };
    loop.self = loop;
    const twice = { x: 1 };
    expect(logJson({ loop, big: 10n, twice: [twice, twice] })).toBe(
      '{"big":"10","loop":{"name":"a","self":"[Circular]"},"twice":[{"x":1},{"x":1}]}',
    );
  });

  it('masks, stamps and levels each line; a line a progress bar shows stays off a terminal but not out of the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lpsync-log-'));
    try {
      const logFile = join(dir, 'nested', 'run.jsonl');
      let shown = '';
      const logger = createRunLogger({
        verbose: false,
        human: true,
        redactor: createRedactor(['S3cret!pw']),
        logFile,
        console: { write: (text: string) => (shown += text) },
      });
      logger.debug('dropped: not verbose');
      logger.info('sent with S3cret!pw', { token: 'abc', actionId: 'customer:A' });
      logger.info('one action done', { [SHOWN_BY_PROGRESS]: true });
      logger.warn('look at it');
      expect(logger.isDebugEnabled()).toBe(false);
      await new Promise<void>((resolve) => {
        logger.on('finish', resolve);
        logger.end();
      });
      const plain = shown.replaceAll(ESC, '').replaceAll(/\[\d+m/g, '');
      expect(plain).toBe('info: sent with ***\nwarn: look at it\n');
      const lines = readFileSync(logFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => [l.level, l.message])).toEqual([
        ['info', 'sent with ***'],
        ['info', 'one action done'],
        ['warn', 'look at it'],
      ]);
      expect(lines[0]).toMatchObject({ token: '***', actionId: 'customer:A' });
      expect(new Date(lines[0]!.timestamp as string).getTime()).not.toBeNaN();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes each JSON line as it is made unless told to hold them', () => {
    const writes: string[] = [];
    const logger = createRunLogger({
      verbose: false,
      human: false,
      redactor: createRedactor(),
      console: { write: (text: string) => writes.push(text) },
    });
    logger.info('one');
    expect(writes).toHaveLength(1);
  });

  it('holds JSON lines until the event loop turns and writes them at once; flush writes them now', async () => {
    const writes: string[] = [];
    const logger = createRunLogger({
      verbose: false,
      human: false,
      redactor: createRedactor(),
      console: { write: (text: string) => writes.push(text) },
      holdLines: true,
    });
    logger.info('one');
    logger.info('two');
    expect(writes).toEqual([]);
    logger.flush();
    expect(writes).toHaveLength(1);
    expect(
      writes[0]!
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { message: string }).message),
    ).toEqual(['one', 'two']);
    logger.warn('three');
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    expect(writes[1]).toContain('"message":"three"');
  });

  it('colours the level on a terminal as winston did', () => {
    let shown = '';
    const logger = createRunLogger({
      verbose: true,
      human: true,
      redactor: createRedactor(),
      console: { write: (text: string) => (shown += text) },
    });
    const before = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      logger.error('e');
      logger.debug('d');
    } finally {
      if (before !== undefined) process.env.NO_COLOR = before;
    }
    expect(shown).toBe('\x1b[31merror\x1b[39m: e\n\x1b[34mdebug\x1b[39m: d\n');
  });
});
