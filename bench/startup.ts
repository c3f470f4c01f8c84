/**
 * Startup: the compiled CLI's `--help`, `--version` and `validate` of the CSV samples against
 * `node -e 0` (starting node and doing nothing), each the fastest of several spawns so that the
 * machine's other work disturbs it least. Target: `--help` within 3× of `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { BenchLine } from './harness.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

function fastest(runs: number, args: string[]): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}`);
    best = Math.min(best, ms);
  }
  return best;
}

export function benchStartup(runs: number, log: (line: string) => void): Promise<BenchLine[]> {
  const node = fastest(runs, ['-e', '0']);
  log(`  startup: node -e 0 takes ${node.toFixed(0)} ms (fastest of ${runs})`);
  const cases: Array<[string, string[], number | undefined]> = [
    ['lpsync --help', ['--help'], 3],
    ['lpsync --version', ['--version'], 3],
    [
      'lpsync validate (CSV samples)',
      ['validate', '--customers', 'samples/customers.csv', '--sites', 'samples/sip-connections.csv'],
      undefined,
    ],
  ];
  return Promise.resolve(
    cases.map(([name, args, ratio]) => {
      const ms = fastest(runs, [MAIN, ...args]);
      return {
        bench: 'startup',
        case: name,
        n: 1,
        ms,
        baselineMs: node,
        note: `fastest of ${runs} spawns; baseline node -e 0`,
        ...(ratio === undefined ? {} : { target: { ratio } }),
      };
    }),
  );
}
