/**
 * The Summary sheet's audit rows: who ran the run and how, the options that shaped it, its start and
 * each resume, and the audit chain's head hash to keep (see README, "Audit").
 */
import { RECORD_STATUSES } from '../model/action-record.js';
import type { RowStatus, RunSummary, Signature } from './types.js';

type Cell = string | number | null;

/** Every row status, in the order a reader expects them. */
export const ROW_STATUSES: readonly RowStatus[] = [...RECORD_STATUSES, 'invalid'];

/** `counts` with every one of `keys` (0 when absent) first, then any other key it has. */
export function withZeros(counts: Record<string, number>, keys: readonly string[]): Array<[string, number]> {
  const out: Array<[string, number]> = keys.map((k) => [k, counts[k] ?? 0]);
  for (const [k, n] of Object.entries(counts)) if (!keys.includes(k)) out.push([k, n]);
  return out;
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

export function auditRows(s: RunSummary, text: (v: string) => string): Cell[][] {
  const a = s.audit;
  if (!a) return [];
  return [
    ['Run by', text(a.ranBy), null],
    ['Command line', text(a.commandLine), null],
    ['Skip invalid rows', yesNo(a.options.skipInvalid), null],
    ['Adopt (--adopt)', yesNo(a.options.adopt), null],
    ['Concurrency', String(a.options.concurrency), null],
    ['Max errors (--max-errors)', a.options.maxErrors === null ? 'none' : String(a.options.maxErrors), null],
    ...a.sessions.map((session): Cell[] => [
      session.kind === 'started' ? 'Run started' : 'Resumed',
      text(`${session.at} by ${session.by}: ${session.commandLine}`),
      null,
    ]),
    ['Resumes', null, a.sessions.filter((x) => x.kind === 'resumed').length],
    ['Audit chain head', a.chainHead ? `${a.chainHead.hash} (entry ${a.chainHead.seq})` : 'none', null],
  ];
}

/** `bob@build-01 (approver) at 2026-11-30T10:00:00.000Z`: who signed, as which role, and when. */
export function signatureText(s: Signature): string {
  return `${s.by}@${s.host}${s.role ? ` (${s.role})` : ''} at ${s.at}`;
}

/** Who planned the plan applied, who approved it, who applied it: the change's three names. */
export function planRows(s: RunSummary, text: (v: string) => string): Cell[][] {
  const p = s.plan;
  if (!p || p.planned === undefined) return [];
  const started = s.audit?.sessions.find((x) => x.kind === 'started');
  return [
    [
      'Planned by',
      p.planned ? text(signatureText(p.planned)) : 'unknown (not recorded in this state store)',
      null,
    ],
    ...(p.approvals?.length
      ? p.approvals.map((a): Cell[] => ['Approved by', text(signatureText(a)), null])
      : [['Approved by', 'nobody', null] as Cell[]]),
    ...(s.audit
      ? [['Applied by', text(`${s.audit.ranBy}${started ? ` at ${started.at}` : ''}`), null] as Cell[]]
      : []),
  ];
}
