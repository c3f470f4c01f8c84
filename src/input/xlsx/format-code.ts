/**
 * A number format code (`#,##0.00_);[Red](#,##0.00)`) split into its sections and each section
 * into tokens, as Excel reads it: quoted and escaped text, padding (`_x`) and fill (`*x`),
 * bracketed colours, conditions and currency symbols, digit placeholders and the rest.
 */

export type FormatToken =
  | { kind: 'literal'; text: string }
  | { kind: 'digit'; placeholder: '0' | '#' | '?' }
  | { kind: 'point' }
  | { kind: 'comma' }
  | { kind: 'percent' }
  | { kind: 'exponent'; sign: '+' | '-'; letter: string }
  | { kind: 'general' }
  | { kind: 'text' }
  | { kind: 'slash' };

export interface Condition {
  op: '<' | '>' | '=' | '<=' | '>=' | '<>';
  value: number;
}

export interface FormatSection {
  tokens: FormatToken[];
  condition?: Condition;
}

/** The sections of a code, split on `;` outside quotes, brackets and escapes. */
function splitSections(code: string): string[] {
  const sections: string[] = [];
  let current = '';
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '"') {
      const end = code.indexOf('"', i + 1);
      const stop = end < 0 ? code.length : end + 1;
      current += code.slice(i, stop);
      i = stop - 1;
    } else if (ch === '\\' || ch === '_' || ch === '*') {
      current += code.slice(i, i + 2);
      i++;
    } else if (ch === '[') {
      const end = code.indexOf(']', i + 1);
      const stop = end < 0 ? code.length : end + 1;
      current += code.slice(i, stop);
      i = stop - 1;
    } else if (ch === ';') {
      sections.push(current);
      current = '';
    } else current += ch;
  }
  sections.push(current);
  return sections;
}

const CONDITION = /^(<=|>=|<>|<|>|=)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/i;

/** `[Red]`, `[Color10]`, `[>100]`, `[$€-407]`, `[DBNum1]`: a condition, a symbol shown, or nothing shown. */
function bracket(content: string, section: FormatSection): void {
  const condition = CONDITION.exec(content.trim());
  if (condition) {
    section.condition = { op: condition[1] as Condition['op'], value: Number(condition[2]) };
    return;
  }
  if (content.startsWith('$')) {
    // [$€-407]: the currency symbol, then the locale after the hyphen (not shown).
    const symbol = content.slice(1).split('-')[0] ?? '';
    if (symbol) section.tokens.push({ kind: 'literal', text: symbol });
  }
}

function parseSection(code: string): FormatSection {
  const section: FormatSection = { tokens: [] };
  const tokens = section.tokens;
  const literal = (text: string) => tokens.push({ kind: 'literal', text });
  let sawPoint = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    const next = code[i + 1];
    if (ch === '"') {
      const end = code.indexOf('"', i + 1);
      literal(code.slice(i + 1, end < 0 ? code.length : end));
      i = end < 0 ? code.length : end;
    } else if (ch === '\\') {
      if (next !== undefined) literal(next);
      i++;
    } else if (ch === '_') {
      // Padding as wide as the next character: a space, as LibreOffice writes it when saving as shown.
      literal(' ');
      i++;
    } else if (ch === '*') {
      // Fill the cell's width with the next character: nothing a value is made of.
      i++;
    } else if (ch === '[') {
      const end = code.indexOf(']', i + 1);
      bracket(code.slice(i + 1, end < 0 ? code.length : end), section);
      i = end < 0 ? code.length : end;
    } else if (ch === '0' || ch === '#' || ch === '?') tokens.push({ kind: 'digit', placeholder: ch });
    else if (ch === '.' && !sawPoint) {
      sawPoint = true;
      tokens.push({ kind: 'point' });
    } else if (ch === ',') tokens.push({ kind: 'comma' });
    else if (ch === '%') tokens.push({ kind: 'percent' });
    else if ((ch === 'E' || ch === 'e') && (next === '+' || next === '-')) {
      tokens.push({ kind: 'exponent', sign: next, letter: ch });
      i++;
    } else if (code.slice(i, i + 7).toLowerCase() === 'general') {
      tokens.push({ kind: 'general' });
      i += 6;
    } else if (ch === '@') tokens.push({ kind: 'text' });
    else if (ch === '/') tokens.push({ kind: 'slash' });
    else literal(ch);
  }
  return section;
}

const sectionCache = new Map<string, FormatSection[]>();

/** The sections of a number format code, parsed once per code. */
export function formatSections(code: string): FormatSection[] {
  let sections = sectionCache.get(code);
  if (!sections) {
    sections = splitSections(code).map(parseSection);
    // A workbook has a few dozen formats; a hostile one cannot grow this past a bound.
    if (sectionCache.size < 1000) sectionCache.set(code, sections);
  }
  return sections;
}

/** True when the condition holds for the value. */
export function holds(condition: Condition, value: number): boolean {
  switch (condition.op) {
    case '<':
      return value < condition.value;
    case '>':
      return value > condition.value;
    case '=':
      return value === condition.value;
    case '<=':
      return value <= condition.value;
    case '>=':
      return value >= condition.value;
    case '<>':
      return value !== condition.value;
  }
}
