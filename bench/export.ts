/**
 * Exporting: `lpsync export` of a tenant of 1,000 services and 3,000 SIP connections from a simulator that
 * answers each request after 200 ms, against the same reads alone (the listing and one Get SIP Connection
 * per site, through a client with the same settings, as many at once as the export allows). The ratio is
 * what the export adds to its reads: building the rows and writing the workbook. Peak heap beside it.
 */
import { join } from 'node:path';
import pLimit from 'p-limit';
import { concurrencyCeiling } from '../src/api/concurrency-setting.js';
import { silentLog } from '../src/model/log.js';
import { createRedactor } from '../src/model/redact.js';
import { createClientFromSettings, type ConnectionSettings } from '../src/run/client.js';
import { exportTenant } from '../src/run/export.js';
import { resolveProxyRules } from '../src/api/proxy.js';
import { startSimulator } from '../src/simulator/index.js';
import { heapAfterGc, mb, timed, withPeakHeap, type BenchLine } from './harness.js';
import { tenantState } from './tenant.js';

const LATENCY_MS = 200;

/** The settings `lpsync export` runs with by default (concurrency auto, from 4 up to 32). */
function settings(url: string): ConnectionSettings {
  return {
    baseUrl: url,
    auth: { kind: 'token', token: 'demo-token' },
    insecure: false,
    timeoutMs: 30_000,
    maxResponseBytes: 16 * 1024 * 1024,
    maxAttempts: 5,
    concurrency: { mode: 'auto', start: 4, max: 32 },
    proxy: resolveProxyRules({ env: {} }),
    sources: {} as ConnectionSettings['sources'],
  };
}

/** The baseline: the export's reads and nothing else. Returns how many requests were sent. */
async function readsAlone(s: ConnectionSettings): Promise<number> {
  const client = createClientFromSettings(s, silentLog, createRedactor());
  try {
    const services = await client.listServices({ allDetails: true });
    const limit = pLimit(concurrencyCeiling(s.concurrency));
    const sites = services.flatMap((service) => service.sites);
    const read = await Promise.all(sites.map((site) => limit(() => client.getSite(site.id))));
    if (read.some((r) => r === null)) throw new Error('bench: a site was not found');
    return sites.length + 1;
  } finally {
    client.close();
  }
}

export async function benchExport(
  dir: string,
  services: number,
  sites: number,
  log: (line: string) => void,
): Promise<BenchLine[]> {
  const sim = await startSimulator({
    port: 0,
    seed: 1,
    initialState: tenantState(services, sites),
    latencyMs: LATENCY_MS,
  });
  try {
    const s = settings(sim.url);
    log(
      `  export: ${services} services, ${sites} SIP connections, ${LATENCY_MS} ms per request, concurrency auto (4 → 32)`,
    );
    const base = await timed(() => readsAlone(s));
    const heapBefore = await heapAfterGc();
    const out = join(dir, 'export.xlsx');
    const subject = await timed(() =>
      withPeakHeap(() =>
        exportTenant({
          connection: s,
          format: 'xlsx',
          out,
          log: silentLog,
          redactor: createRedactor(),
          lpsyncVersion: 'bench',
          now: () => new Date(),
        }),
      ),
    );
    const { value: result, peak } = subject.value;
    if (result.customers !== services || result.customers + result.sites !== sites)
      throw new Error(`bench: exported ${result.customers} + ${result.sites} rows`);
    return [
      {
        bench: 'export',
        case: `export ${services.toLocaleString('en-US')} services / ${sites.toLocaleString('en-US')} SIP connections @${LATENCY_MS} ms`,
        n: base.value,
        ms: subject.ms,
        baselineMs: base.ms,
        note:
          `${base.value} reads alone ${(base.ms / 1000).toFixed(1)} s; export ${(subject.ms / 1000).toFixed(1)} s; ` +
          `peak heap ${mb(peak)} (${mb(Math.max(0, peak - heapBefore))} above the heap before it); cpu ${subject.cpuMs.toFixed(0)} ms vs ${base.cpuMs.toFixed(0)} ms`,
        target: { ratio: 1.2 },
      },
    ];
  } finally {
    await sim.close();
  }
}
