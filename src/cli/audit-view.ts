/** How `history`, `history --customer`, `history prune` and `audit verify` read on a terminal. */
import { textOf } from '../model/text.js';
import { summaryLine } from '../report/summary.js';
import type { RunSummary } from '../report/types.js';
import type { PruneResult } from '../state/audit-prune.js';
import type { AuditVerdict } from '../state/audit-verify.js';
import type { CustomerChange, RunHistoryItem } from '../run/history.js';

/** One block per run, newest first. */
export function runsText(items: RunHistoryItem[], storePath: string): string {
  if (items.length === 0) return `No run is recorded in ${storePath} for that time.`;
  const blocks = items.map((r) => {
    const exit = r.exitCode === null ? '' : ` (exit ${r.exitCode})`;
    const lines = [
      `${r.runId}  ${r.command}  ${r.status}${exit}`,
      `  started ${r.startedAt} by ${r.ranBy}${r.endedAt ? `, ended ${r.endedAt}` : ', not ended'}${r.lpsyncVersion ? `, lpsync ${r.lpsyncVersion}` : ''}`,
      `  command: ${r.commandLine}`,
      ...r.inputFiles.map((f) => `  input:   ${f.file} (SHA-256 ${f.sha256})`),
      `  platform: ${r.baseUrl}`,
    ];
    if (r.plan) lines.push(`  plan:    ${r.plan.file} (SHA-256 ${r.plan.sha256})`);
    if (r.options) lines.push(`  options: ${optionsText(r.options)}`);
    if (r.rows !== null)
      lines.push(
        `  outcome: ${summaryLine({ byStatus: r.byStatus, byActionStatus: r.byActionStatus, byAction: actionTotals(r.byActionStatus), rows: r.rows } as RunSummary, 'changes').replace(/^changes: /, '')}`,
      );
    for (const s of r.resumes) lines.push(`  resumed ${s.at} by ${s.by}: ${s.commandLine}`);
    if (r.adopted) lines.push('  (recorded before the audit trail: who ran it is not known)');
    return lines.join('\n');
  });
  return `${items.length} run(s), newest first:\n\n${blocks.join('\n\n')}`;
}

function actionTotals(byActionStatus: Record<string, Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(byActionStatus).map(([kind, inner]) => [
      kind,
      Object.values(inner).reduce((a, b) => a + b, 0),
    ]),
  );
}

function optionsText(o: Record<string, unknown>): string {
  const only =
    Array.isArray(o.only) && o.only.length > 0
      ? `only ${(o.only as unknown[]).map(textOf).join(' ')}`
      : 'every row';
  return [
    `mode ${textOf(o.mode ?? 'upsert')}`,
    only,
    o.limit === null || o.limit === undefined ? 'no limit' : `limit ${textOf(o.limit)}`,
    `skip-invalid ${o.skipInvalid ? 'yes' : 'no'}`,
    `adopt ${o.adopt ? 'yes' : 'no'}`,
    `concurrency ${textOf(o.concurrency ?? '?')}`,
    `max-errors ${o.maxErrors === null || o.maxErrors === undefined ? 'none' : textOf(o.maxErrors)}`,
  ].join(', ');
}

/** Every change to one customer, oldest first: when, run, who, what, status, then field by field. */
export function customerText(name: string, changes: CustomerChange[], storePath: string): string {
  if (changes.length === 0) return `No change to customer "${name}" is recorded in ${storePath}.`;
  const blocks = changes.map((c) => {
    const target = c.siteName === null ? c.customerShortName : `${c.customerShortName} / ${c.siteName}`;
    const head = `${c.at}  ${c.runId}  ${c.ranBy}  ${c.kind} ${target}: ${c.status}`;
    const fields = c.changes.map(
      (f) => `    ${f.field}: ${f.before ?? '(none)'} → ${f.after ?? '(not set)'}`,
    );
    return [head, `    ${c.method} ${c.path}`, ...fields].join('\n');
  });
  return `${changes.length} change(s) to customer "${name}" and its SIP connections, oldest first:\n\n${blocks.join('\n\n')}`;
}

export function verifyText(v: AuditVerdict, storePath: string): string {
  const span = v.first === null || v.head === null ? 'no entries' : `entries ${v.first}–${v.head.seq}`;
  const lines = [`Audit chain of ${storePath}: ${v.entries} entries (${span}), ${v.runs} run(s)`];
  if (v.head) lines.push(`Head: ${v.head.hash} (entry ${v.head.seq})`);
  if (v.first !== null && v.first > 1)
    lines.push(`Entries before ${v.first} were removed by history prune (checkpointed).`);
  if (v.keptHead)
    lines.push(
      v.keptHead.seq === null
        ? `✗ The head you kept (${v.keptHead.hash}) is not in this chain: it was rewritten, or pruned past it.`
        : `✓ The head you kept is entry ${v.keptHead.seq}${v.head && v.head.seq > v.keptHead.seq ? `; ${v.head.seq - v.keptHead.seq} entries were added since` : ''}.`,
    );
  if (v.problems.length === 0)
    lines.push(
      '✓ Intact: every entry and every row of runs, journal, applied state and report snapshots matches the chain.',
    );
  else {
    lines.push(`✗ Broken: ${v.problems.length} problem(s), the first broken place first:`);
    const shown = v.problems.slice(0, 50);
    for (const p of shown) lines.push(`  ${p.message}`);
    if (v.problems.length > shown.length) lines.push(`  … and ${v.problems.length - shown.length} more`);
  }
  return lines.join('\n');
}

export function pruneText(r: PruneResult, keepDays: number, storePath: string): string {
  const lines: string[] = [];
  if (!r.checkpoint)
    lines.push(
      `Nothing to prune in ${storePath}: no finished run started more than ${keepDays} day(s) ago can go.`,
    );
  else
    lines.push(
      `Pruned ${storePath}: ${r.removedRuns.length} run(s) and ${r.removedEntries} audit entries older than ${keepDays} day(s) removed.`,
      `Checkpoint: entry ${r.checkpoint.seq}, head ${r.checkpoint.hash} (audit verify stays green).`,
    );
  if (r.keptOld.length > 0)
    lines.push(
      `Kept although older: ${r.keptOld.join(', ')} (unfinished, or its entries interleave with a run kept).`,
    );
  return lines.join('\n');
}
