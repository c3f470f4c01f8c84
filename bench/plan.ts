/**
 * Planning: `planActions` over N customers + N SIP connections against N observed services
 * (with their sites and Get SIP Connection details) and a state store's applied records,
 * against a baseline that only builds the same Maps and looks each row up once.
 */
import type { WorkbookRows } from '../src/model/types.js';
import { recordDigest, recordKey } from '../src/plan/digest.js';
import { unreadableCustomerValues, unreadableSiteValues } from '../src/plan/diff.js';
import { planActions } from '../src/plan/index.js';
import {
  appliedSiteKey,
  type AppliedRecord,
  type AppliedState,
  type ObservedState,
} from '../src/plan/types.js';
import { observedFor, workbookRows } from './data.js';
import { best, perSecond, type BenchLine } from './harness.js';

/**
 * The state store after the previous nightly run: what `--adopt` records for these rows
 * (digests of every field that cannot be read back), as `loadApplied` would hand it back.
 */
export function appliedAfterAdopt(rows: WorkbookRows, observed: ObservedState): AppliedState {
  const applied: AppliedState = { customers: new Map(), sites: new Map() };
  const empty: AppliedState = { customers: new Map(), sites: new Map() };
  const plan = planActions(rows, observed, empty, { adopt: true });
  for (const action of plan.actions) {
    for (const r of [...action.record, ...(action.followUp?.record ?? [])]) {
      const record: AppliedRecord = {
        shortName: r.shortName,
        siteName: r.siteName ?? null,
        customerGuid: action.customerGuid ?? null,
        siteGuid: r.siteName === undefined ? null : (action.siteGuid ?? null),
        digest: r.digest,
        fields: r.fields ?? null,
        recordDigest: r.recordDigest ?? null,
        runId: 'previous',
        appliedAt: '2026-11-26T02:15:00.000Z',
      };
      if (r.siteName === undefined) applied.customers.set(r.shortName, record);
      else applied.sites.set(appliedSiteKey(r.shortName, r.siteName), record);
    }
  }
  return applied;
}

/**
 * The baseline: the Maps any planner needs (services by exact and folded short name, each
 * service's sites by exact and folded name, the action keys taken) and one lookup per row.
 */
export function indexOnly(rows: WorkbookRows, observed: ObservedState): number {
  const exact = new Map<string, ObservedState['services'][number]>();
  const folded = new Map<string, ObservedState['services'][number]>();
  const sites = new Map<string, Map<string, string>>();
  for (const s of observed.services) {
    const name = s.shortName.trim();
    exact.set(name, s);
    folded.set(name.toLowerCase(), s);
    const byName = new Map<string, string>();
    const byFolded = new Map<string, string>();
    for (const site of s.sites) {
      byName.set(site.name.trim(), site.id);
      byFolded.set(site.name.trim().toLowerCase(), site.id);
    }
    sites.set(s.customerGuid, byName);
  }
  const taken = new Map<string, number>();
  let found = 0;
  const visit = (shortName: string, siteName: string, row: number) => {
    taken.set(`site:${shortName}/${siteName}`, row);
    const service = exact.get(shortName.trim());
    if (!service) return;
    const id = sites.get(service.customerGuid)?.get(siteName.trim());
    if (id !== undefined && observed.sites.has(id)) found += 1;
  };
  for (const r of rows.customers) visit(r.shortName, r.siteName, r.origin.row);
  for (const r of rows.sites) visit(r.customerShortName, r.siteName, r.origin.row);
  return found;
}

/**
 * Part of the floor under any planner of this design: each row's fields that cannot be read
 * back, digested as the state store keeps them (one salted SHA-256 of the record's values) and
 * compared with the record lpsync applied last. Returns how many records were compared.
 */
export function storeHashesOnly(rows: WorkbookRows, applied: AppliedState): number {
  let compared = 0;
  const compare = (key: string, values: Record<string, unknown>, record: AppliedRecord | undefined) => {
    if (!record?.recordDigest) return;
    if (recordDigest(key, values) === record.recordDigest) compared += 1;
  };
  for (const r of rows.customers)
    compare(recordKey(r.shortName), unreadableCustomerValues(r), applied.customers.get(r.shortName));
  for (const r of rows.sites)
    compare(
      recordKey(r.customerShortName, r.siteName),
      unreadableSiteValues(r.site, { includeOvocCustomerType: true }),
      applied.sites.get(appliedSiteKey(r.customerShortName, r.siteName)),
    );
  return compared;
}

/**
 * "Flat": planActions' per-row cost grows from the smallest to the largest size at most this much
 * more than the baseline's does. Plain lookups slow down per row too as the data outgrows the CPU's
 * caches (x1.6 here from 10k to 100k); a planner doing more than a lookup per row would grow faster.
 */
const FLAT = 1.25;

export async function benchPlan(customers: number, log: (line: string) => void): Promise<BenchLine[]> {
  const sizes = [...new Set([Math.round(customers / 10), Math.round(customers / 2), customers])].filter(
    (n) => n >= 100,
  );
  // Warm-up: both functions JIT-compiled before anything is timed.
  {
    const rows = workbookRows(2_000);
    const observed = observedFor(rows);
    const applied = appliedAfterAdopt(rows, observed);
    for (let i = 0; i < 3; i++) {
      indexOnly(rows, observed);
      planActions(rows, observed, applied);
    }
  }
  const lines: BenchLine[] = [];
  for (const n of sizes) {
    const rows = workbookRows(n);
    const observed = observedFor(rows);
    const applied = appliedAfterAdopt(rows, observed);
    // Best of three: the least disturbed by the other processes on the machine.
    const base = await best(3, () => indexOnly(rows, observed));
    const subject = await best(3, () => planActions(rows, observed, applied));
    const c = subject.value.counts;
    const total = rows.customers.length + rows.sites.length;
    if (c.conflict || c['create-customer'] || subject.value.actions.length !== total)
      throw new Error(`unexpected plan for the bench data: ${JSON.stringify(c)}`);
    // At the largest size, the floor: the lookups plus the state store's record digests, measured alone.
    const hashes = n === customers ? await best(3, () => storeHashesOnly(rows, applied)) : undefined;
    lines.push({
      bench: 'plan',
      case: `planActions ${n.toLocaleString('en-US')} + ${n.toLocaleString('en-US')} rows`,
      n: total,
      ms: subject.ms,
      baselineMs: base.ms,
      note:
        `${perSecond(total, subject.ms)}; ${((subject.ms * 1000) / total).toFixed(2)} µs/row; ` +
        `cpu ${subject.cpuMs.toFixed(0)} vs ${base.cpuMs.toFixed(0)} ms (${(subject.cpuMs / base.cpuMs).toFixed(2)}×); ` +
        `${c.unchanged} unchanged, ${c['modify-site']} modify, ${c['add-site']} add; ${subject.value.drift.length} drift`,
      // Target, at this size: within 2× the lookups alone and under 2 s. (At small sizes the
      // lookups run from the CPU's caches and the ratio says little.)
      ...(n === 100_000 ? { target: { ratio: 2, ms: 2_000 } } : {}),
    });
    // Issue 26's target, < 2 s, in CPU time: on a shared machine the wall time mostly says who else ran.
    if (n === 100_000)
      lines.push({
        bench: 'plan',
        case: `  the same, CPU`,
        n: total,
        ms: subject.cpuMs,
        baselineMs: base.cpuMs,
        target: { ratio: Infinity, ms: 2_000 },
        note: `CPU ms (user + system) of the wall-fastest of three runs, against the lookups' CPU`,
      });
    if (hashes)
      lines.push({
        bench: 'plan',
        case: '  floor: lookups + store digests',
        n: total,
        ms: base.ms + hashes.ms,
        baselineMs: base.ms,
        note: `the baseline plus ${hashes.value.toLocaleString('en-US')} record digests compared with the state store (one salted SHA-256 a record), ${hashes.ms.toFixed(0)} ms alone; planActions is ${(subject.ms / (base.ms + hashes.ms)).toFixed(2)}× this`,
      });
  }
  const planLines = lines.filter((l) => !l.case.startsWith(' ')); // not the floor or CPU lines
  const perRow = (l: BenchLine, ms: number) => ((ms * 1000) / l.n).toFixed(2);
  const growth = (ms: (l: BenchLine) => number) =>
    ms(planLines.at(-1)!) / planLines.at(-1)!.n / (ms(planLines[0]!) / planLines[0]!.n);
  log(
    `  plan: µs per row across sizes: planActions ${planLines.map((l) => perRow(l, l.ms)).join(' → ')}, ` +
      `baseline ${planLines.map((l) => perRow(l, l.baselineMs)).join(' → ')}`,
  );
  if (planLines.length > 1) {
    const subjectGrowth = growth((l) => l.ms);
    const baseGrowth = growth((l) => l.baselineMs);
    const relative = subjectGrowth / baseGrowth;
    log(
      `  plan: per-row cost from the smallest to the largest size: planActions ×${subjectGrowth.toFixed(2)}, baseline ×${baseGrowth.toFixed(2)}; ` +
        `planActions grows ×${relative.toFixed(2)} the baseline's growth (target flat: ≤ ×${FLAT.toFixed(2)}: ${relative <= FLAT ? 'met' : 'NOT met'})`,
    );
  }
  return lines;
}
