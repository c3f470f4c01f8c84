/**
 * A password as the person types it: from the terminal without echo (asked twice where it is being set),
 * or, when standard input is not a terminal, its first line (the line's end, `\n` or `\r\n`, is not part
 * of it). Never from an argument, where `ps` and the shell's history would show it. Nothing else is
 * trimmed or changed.
 */
import { RunError } from '../model/errors.js';

export interface PasswordStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Where the prompt goes (never stdout: a script may read it). */
  stderr: NodeJS.WritableStream;
}

const NOTHING_READ =
  'No password was given: it is read from the terminal, or from the first line of standard input when that is not a terminal (never from an argument).';

/** The password; with `confirm`, a terminal asks twice and two different answers change nothing. */
export async function readPassword(
  streams: PasswordStreams,
  ask: { prompt: string; confirm?: string },
): Promise<string> {
  if (!streams.stdin.isTTY || !streams.stdin.setRawMode) return firstLine(streams.stdin);
  const password = await readHidden(streams, ask.prompt);
  if (ask.confirm === undefined) return password;
  if ((await readHidden(streams, ask.confirm)) !== password)
    throw new RunError('invalid-options', 'The two passwords typed differ: nothing was changed.');
  return password;
}

/** Standard input's first line, its bytes as UTF-8 (bytes that are not UTF-8 are refused, not replaced). */
async function firstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const end = buffer.indexOf(0x0a);
    chunks.push(end === -1 ? buffer : buffer.subarray(0, end));
    length += buffer.length;
    // One line is enough; the rest of the input is not read (a password longer than this is refused anyway).
    if (end !== -1 || length > 64 * 1024) break;
  }
  let line = Buffer.concat(chunks);
  if (line.at(-1) === 0x0d) line = line.subarray(0, -1);
  if (line.length === 0) throw new RunError('invalid-options', NOTHING_READ);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(line);
  } catch {
    throw new RunError('invalid-options', 'The password on standard input is not UTF-8 text.');
  }
}

/** One line typed on the terminal with echo off: Backspace and Ctrl-U edit it, Ctrl-C stops. */
function readHidden(streams: PasswordStreams, prompt: string): Promise<string> {
  const { stdin, stderr } = streams;
  // Echo off before the prompt shows: what is typed as soon as it appears is not echoed either.
  stdin.setRawMode?.(true);
  stdin.resume();
  stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
      outcome();
    };
    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      // An arrow or function key: an escape sequence, not part of a password.
      if (text.startsWith('\u001b')) return;
      for (const ch of text) {
        if (ch === '\r' || ch === '\n' || (ch === '\u0004' && typed !== ''))
          return finish(() => resolve(typed));
        if (ch === '\u0003')
          return finish(() => reject(new RunError('interrupted', 'Interrupted: no password was read.')));
        if (ch === '\u0004') return finish(() => reject(new RunError('invalid-options', NOTHING_READ)));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch === '\u0015') typed = '';
        else if (ch >= ' ' || ch === '\t') typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
