/** How `history`, `history --customer`, `history prune` and `audit verify` read on a terminal. */
import { textOf } from '../model/text.js';
import {
  summaryLine,
  type AuditVerdict,
  type CustomerChange,
  type PruneResult,
  type RunHistoryItem,
  type RunSummary,
} from '../run/index.js';

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

/**
 * `audit verify` for a person. Every line says one fact, and none contradicts another: a pruned chain is
 * "the entries kept", and a head kept from before a prune is either vouched for by the checkpoint or said
 * to be beyond checking here — never "not in this chain" beside "intact" without saying why.
 */
export function verifyText(v: AuditVerdict, storePath: string): string {
  const pruned = v.pruned && v.first !== null && v.first > 1 ? v.pruned : undefined;
  const kept = pruned ? ' kept' : '';
  const span = v.first === null || v.head === null ? 'no entries' : `entries ${v.first}–${v.head.seq}`;
  const lines = [`Audit chain of ${storePath}: ${v.entries} entries${kept} (${span}), ${v.runs} run(s)`];
  if (v.head) lines.push(`Head: ${v.head.hash} (entry ${v.head.seq})`);
  if (pruned)
    lines.push(
      `Entries 1–${pruned.firstKept - 1} were removed by history prune; its checkpoint (entry ${pruned.checkpoint}) carries the hash of entry ${pruned.firstKept - 1} on, so the entries kept still link up.`,
    );
  if (v.keptHead) lines.push(keptHeadLine(v.keptHead, v, pruned));
  if (v.problems.length === 0)
    lines.push(
      `✓ Intact: every entry${kept} links to the one before it, and every row of runs, journal, applied state, report snapshots, plans and approvals matches the chain.`,
    );
  else {
    lines.push(`✗ Broken: ${v.problems.length} problem(s), the first broken place first:`);
    const shown = v.problems.slice(0, 50);
    for (const p of shown) lines.push(`  ${p.message}`);
    if (v.problems.length > shown.length) lines.push(`  … and ${v.problems.length - shown.length} more`);
  }
  return lines.join('\n');
}

function keptHeadLine(
  keptHead: NonNullable<AuditVerdict['keptHead']>,
  v: AuditVerdict,
  pruned: AuditVerdict['pruned'],
): string {
  const { hash, seq } = keptHead;
  if (seq === null)
    return pruned
      ? `✗ The head you kept (${hash}) is not among the entries kept, nor the last entry pruned (entry ${pruned.firstKept - 1}): if it was an earlier entry, check it against the export made before the prune; otherwise the chain was rewritten.`
      : `✗ The head you kept (${hash}) is not in this chain: the chain was rewritten.`;
  if (keptHead.carried)
    return `✓ The head you kept is entry ${seq}, the last entry history prune removed: the checkpoint carries its hash on.`;
  const added = v.head && v.head.seq > seq ? `; ${v.head.seq - seq} entries were added since` : '';
  return `✓ The head you kept is entry ${seq}${added}.`;
}

export function pruneText(r: PruneResult, keepDays: number, storePath: string): string {
  const lines: string[] = [];
  if (!r.checkpoint)
    lines.push(
      `Nothing to prune in ${storePath}: no finished run started more than ${keepDays} day(s) ago can go.`,
    );
  else
    lines.push(
      `Pruned ${storePath}: ${r.removedRuns.length} run(s) that started more than ${keepDays} day(s) ago, with audit entries ${r.removedFrom}–${r.prunedThrough} (${r.removedEntries} entries).`,
      `Checkpoint: entry ${r.checkpoint.seq} (${r.checkpoint.hash}) carries the hash of entry ${r.prunedThrough} on; audit verify stays green.`,
    );
  if (r.checkpoint && r.head && r.head.seq > r.checkpoint.seq)
    lines.push(
      `Head: ${r.head.hash} (entry ${r.head.seq}): after the checkpoint, the applied state whose entries went is written again. Keep this head.`,
    );
  if (r.keptOld.length > 0)
    lines.push(
      `Kept although older: ${r.keptOld.join(', ')} (unfinished, or its entries interleave with a run kept).`,
    );
  return lines.join('\n');
}
