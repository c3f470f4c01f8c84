/** The bench's closing table: fixed columns aligned, the notes as long as they are and no longer. */
import { describe, expect, it } from 'vitest';
import { renderTable, type BenchLine } from '../../bench/harness.js';

const line = (note: string): BenchLine => ({
  bench: 'write',
  case: 'results workbook',
  n: 1_000,
  ms: 120,
  baselineMs: 100,
  note,
});

describe('renderTable', () => {
  it('pads no line to the longest note: the rule under "notes" is as wide as the word', () => {
    const long = 'x'.repeat(400);
    const [head, rule, first, second] = renderTable([line(long), line('short')]).split('\n');
    expect(rule!.endsWith('  -----')).toBe(true);
    expect(rule!.length).toBe(head!.length);
    expect(first!.endsWith(long)).toBe(true);
    // The short note's line ends where its note does: as long as the long one's less the difference.
    expect(first!.length - second!.length).toBe(long.length - 'short'.length);
    // The fixed columns still line up.
    expect(first!.indexOf('1.20×')).toBe(second!.indexOf('1.20×'));
  });
});
