/**
 * `npm run bench`: reading, planning, applying and writing, each against a baseline measured
 * in the same run on the same data, then one table. Sizes scale with BENCH_SCALE (default 1 =
 * 100 000 customers, 30 000 for validate, 1,000 creates for apply-cpu, 2,000 actions for concurrency, 1,000
 * services / 3,000 SIP connections for export); BENCH_ONLY=startup,read,validate,merges,plan,apply,apply-cpu,
 * write,concurrency,export runs a subset, and BENCH_ONLY=pace only the `auto` runs of concurrency. Loopback only; temp
 * files live in one temp folder, removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchApply } from './apply.js';
import { benchApplyCpu } from './apply-cpu.js';
import { hasGc, meets, renderTable, targetText, timed, type BenchLine } from './harness.js';
import { benchConcurrency } from './concurrency.js';
import { benchExport } from './export.js';
import { benchMerges } from './merges.js';
import { benchPlan } from './plan.js';
import { benchRead } from './read.js';
import { benchStartup } from './startup.js';
import { benchValidate } from './validate.js';
import { benchWrite } from './write.js';

const BENCHES = [
  'startup',
  'read',
  'validate',
  'merges',
  'plan',
  'apply',
  'apply-cpu',
  'write',
  'concurrency',
  'pace',
  'export',
] as const;
type BenchName = (typeof BENCHES)[number];
/** `pace` is part of `concurrency`: alone it is a quicker look at `auto` only. */
const BY_DEFAULT = BENCHES.filter((name) => name !== 'pace');

export interface BenchOptions {
  scale: number;
  only: BenchName[];
}

/** Options from the environment, checked in one place. */
export function benchOptions(env: NodeJS.ProcessEnv): BenchOptions {
  const scale = env.BENCH_SCALE === undefined || env.BENCH_SCALE === '' ? 1 : Number(env.BENCH_SCALE);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10)
    throw new Error(`BENCH_SCALE must be a number above 0 and at most 10; got "${env.BENCH_SCALE}"`);
  const only = (env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of only)
    if (!(BENCHES as readonly string[]).includes(name))
      throw new Error(`BENCH_ONLY takes ${BENCHES.join(',')}; got "${name}"`);
  return { scale, only: only.length ? (only as BenchName[]) : BY_DEFAULT };
}

const sized = (n: number, scale: number, min: number) => Math.max(min, Math.round(n * scale));

async function main(options: BenchOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lpsync-bench-'));
  const log = (line: string) => console.log(line);
  const lines: BenchLine[] = [];
  // A bench that throws is reported and the others still run: one broken stage hides no other's figures.
  const failed: string[] = [];
  console.log(
    `lpsync bench — node ${process.version}, ${cpus().length} CPU(s), BENCH_SCALE=${options.scale}, temp ${dir}`,
  );
  const total = await timed(async () => {
    try {
      for (const name of options.only) {
        console.log(`\n[${name}]`);
        const part = await timed(() =>
          run(name, dir, options.scale, log).catch((error: unknown) => {
            const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
            console.error(`  ${name} FAILED: ${message}`);
            failed.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
            return [] as BenchLine[];
          }),
        );
        for (const line of part.value)
          console.log(
            `  ${line.case}: ${line.ms.toFixed(0)} ms vs ${line.baselineMs.toFixed(0)} ms baseline (${(line.ms / line.baselineMs).toFixed(2)}×)` +
              `${line.target ? `, target ${targetText(line)}` : ''} — ${line.note ?? ''}`,
          );
        console.log(`  (${name} took ${(part.ms / 1000).toFixed(1)} s in all)`);
        lines.push(...part.value);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  console.log(`\n${renderTable(lines)}\n`);
  console.log(
    `ratio = time / baseline (1.00× = as fast as the baseline). Whole run ${(total.ms / 1000).toFixed(1)} s.`,
  );
  if (failed.length) {
    console.log(`FAILED, no figures: ${failed.join('; ')}`);
    process.exitCode = 1;
  }
  const held = lines.filter((l) => l.target);
  const missed = held.filter((l) => !meets(l));
  if (held.length)
    console.log(
      `targets: ${held.length - missed.length} of ${held.length} met` +
        (missed.length
          ? `; not met: ${missed.map((l) => `${l.bench} "${l.case.trim()}" ${targetText(l)}`).join('; ')}`
          : ''),
    );
}

function run(name: BenchName, dir: string, scale: number, log: (line: string) => void): Promise<BenchLine[]> {
  switch (name) {
    case 'startup':
      return benchStartup(7, log);
    case 'read':
      return benchRead(dir, sized(100_000, scale, 1_000), log);
    case 'validate':
      return benchValidate(dir, sized(30_000, scale, 1_000), log);
    case 'merges':
      return benchMerges(dir, log);
    case 'plan':
      return benchPlan(sized(100_000, scale, 1_000), log);
    case 'apply':
      return benchApply(dir, sized(200, scale, 40), sized(100_000, scale, 1_000), log);
    case 'apply-cpu':
      return benchApplyCpu(dir, sized(1_000, scale, 100), log);
    case 'write':
      return benchWrite(dir, sized(100_000, scale, 1_000), log);
    case 'concurrency':
    case 'pace':
      return benchConcurrency(dir, paceSizes(scale), log, { paceOnly: name === 'pace' });
    case 'export':
      // 1,000 services holding 3,000 SIP connections, at 200 ms a request.
      return benchExport(dir, sized(1_000, scale, 100), sized(3_000, scale, 300), log);
  }
}

/** 2,000 actions at 50/s (1,000 where 429s come at once); the schedule's phases shrink with the scale, never below 4 s. */
function paceSizes(scale: number) {
  return {
    queued: sized(2_000, scale, 200),
    immediate: sized(1_000, scale, 200),
    phaseMs: sized(10_000, scale, 4_000),
  };
}

function optionsOrExit(): BenchOptions {
  try {
    return benchOptions(process.env);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    process.exit(2);
  }
}

const options = optionsOrExit();
// Heap figures need a full gc on demand: re-spawn node with --expose-gc once.
if (!hasGc()) {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: process.env,
  });
  process.exit(child.status ?? 1);
} else {
  main(options).catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
