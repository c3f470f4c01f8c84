/**
 * The cell rules (cell-values.ts) as zod schemas, for callers that compose zod schemas: trimmed
 * non-empty text in, typed value out; a failure is a custom issue whose `params.rule` names the rule
 * broken. Validation itself calls the rules directly, one function per column, without zod.
 */
import type { z } from 'zod';
import type { FieldKind } from './catalogue.js';
import { CellRuleFailure, cellValueReader } from './cell-values.js';
import { zod } from './zod-lazy.js';

export { parseBooleanWord } from './cell-values.js';

/** The schema of a cell of the given kind: trimmed non-empty text in, typed value out. */
export function cellSchema(kind: FieldKind): z.ZodType<unknown, string> {
  const { z } = zod();
  const read = cellValueReader(kind);
  if (!read) return z.string();
  return z.string().transform((text, ctx) => {
    const value = read(text);
    if (!(value instanceof CellRuleFailure)) return value;
    ctx.addIssue({ code: 'custom', message: value.message, params: { rule: value.rule } });
    return z.NEVER;
  });
}
