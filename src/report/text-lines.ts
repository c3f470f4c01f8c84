/**
 * Text as a wrapped cell shows it, line by line, so that a cell too tall for one row can go on in the
 * next without losing a character: each piece remembers what followed it (a line break, the space it
 * was wrapped at, or nothing where a word longer than the cell was cut).
 */

/** One shown line of a wrapped cell and the separator that followed it in the text. */
export interface ShownLine {
  text: string;
  after: '\n' | ' ' | '';
}

/**
 * The lines `text` takes in a wrapped cell `width` characters wide, as `linesIn` (layout.ts) counts
 * them: its own lines, each broken at spaces within the width, a longer word cut.
 */
export function textLines(text: string, width: number): ShownLine[] {
  const fit = Math.max(1, Math.floor(width) - 1);
  const out: ShownLine[] = [];
  const lines = text.split('\n');
  lines.forEach((line, n) => {
    const pieces = wrapLine(line, fit);
    pieces[pieces.length - 1]!.after = n < lines.length - 1 ? '\n' : '';
    out.push(...pieces);
  });
  return out;
}

function wrapLine(line: string, fit: number): ShownLine[] {
  const out: ShownLine[] = [];
  let current: string | null = null;
  const start = (word: string): string => {
    let rest = word;
    for (; rest.length > fit; rest = rest.slice(fit)) out.push({ text: rest.slice(0, fit), after: '' });
    return rest;
  };
  for (const word of line.split(' ')) {
    if (current === null) current = start(word);
    else if (current.length + 1 + word.length <= fit) current += ` ${word}`;
    else {
      out.push({ text: current, after: ' ' });
      current = start(word);
    }
  }
  out.push({ text: current ?? '', after: '' });
  return out;
}

/**
 * The text again in parts of at most `perPart` shown lines, each with the separator that followed it:
 * the parts' texts and separators, concatenated, are the text exactly. A part ends at the end of one
 * of the text's own lines where it can: only a line taller than a part on its own is split.
 */
export function splitLines(lines: readonly ShownLine[], perPart: number): ShownLine[] {
  const parts: ShownLine[] = [];
  let start = 0;
  while (start < lines.length) {
    let end = Math.min(lines.length, start + perPart);
    // Back to the last end of a line of the text within the part, if there is one.
    for (let i = end - 1; i > start && end < lines.length; i--)
      if (lines[i]!.after === '\n') {
        end = i + 1;
        break;
      }
    const part = lines.slice(start, end);
    let text = '';
    part.forEach((l, j) => (text += l.text + (j < part.length - 1 ? l.after : '')));
    parts.push({ text, after: part[part.length - 1]!.after });
    start = end;
  }
  return parts;
}
