/**
 * `export`: the tenant as a workbook that round-trips. The listing, then Get SIP Connection for each site
 * written, through the same client, request budget and adaptive pace as plan; then the template's sheets
 * with one row per service and per further SIP connection (src/report/export-sheets.ts), written by a
 * streaming writer, or as the template's two CSV files. Nothing is sent but reads.
 */
import pLimit from 'p-limit';
import { concurrencyCeiling } from '../api/concurrency-setting.js';
import type { LivePlatform, SiteDetails } from '../api/types.js';
import { loadWorkbook, type InputSource } from '../input/index.js';
import { namedKeys } from '../input/named-keys.js';
import { RunError } from '../model/errors.js';
import type { Log } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import type { NamedTarget } from '../plan/drift.js';
import { exportSheets } from '../report/export-sheets.js';
import { writeExportCsv, writeExportWorkbook } from '../report/export-workbook.js';
import { serviceFacts, siteFacts, type TenantRows } from '../report/tenant-facts.js';
import { createClientFromSettings, type ConnectionSettings, type SettingsProblem } from './client.js';
import { eventLog, type EventLog, type RunEvent } from './events.js';
import { exportSelectors, selectExport, type LeftOut, type SelectedService } from './export-select.js';
import { unreachableFault } from './plan.js';

export interface ExportOptions {
  connection: ConnectionSettings | SettingsProblem;
  /** `xlsx`: the workbook at `out`; `csv`: customers.csv and sip-connections.csv in the folder `out`. */
  format: 'xlsx' | 'csv';
  /** Absolute. */
  out: string;
  /** `customer:GLOB` selectors; empty: every service. */
  only?: readonly string[];
  /** Only what this workbook does not name (the drift), ready to paste into it. */
  notIn?: InputSource;
  log: Log;
  redactor: Redactor;
  lpsyncVersion: string;
  /** The workbook's creation date. */
  now: () => Date;
  onEvent?: (event: RunEvent) => void;
}

export interface ExportResult {
  written: string[];
  /** Rows written: Customers (services) and SipConnections (further SIP connections). */
  customers: number;
  sites: number;
  /** What the listing held. */
  listed: { services: number; sites: number };
  /** Services (and SIP connections) not written, each with the reason. */
  leftOut: Array<LeftOut & { siteName?: string }>;
  /** SIP connections written as read while the platform was still changing them. */
  busy: number;
  events: RunEvent[];
}

/** Lines the export workbook's Instructions sheet starts with, before the template's own. */
export const EXPORT_INSTRUCTIONS = [
  'This workbook is an export of a Live Platform tenant (lpsync export): one row per service (Customers) and per further SIP connection (SipConnections), every field the platform returns.',
  'Blank cells keep what the platform has: passwords, secrets and the fields the platform never returns are blank (each header note says so). Planned as it is, it is 0 changes: edit, then lpsync plan and lpsync apply.',
];

/** Reads the tenant and writes it; a fault (settings, platform unreachable, a file not written) is thrown. */
export async function exportTenant(options: ExportOptions): Promise<ExportResult> {
  const log = eventLog(options.onEvent);
  const only = exportSelectors(options.only ?? []);
  let named: NamedTarget[] | undefined;
  if (options.notIn) {
    log.emit({ type: 'stage', stage: 'load', message: 'reading the workbook of --not-in' });
    const loaded = await loadWorkbook(options.notIn);
    options.redactor.addSecrets(loaded.secrets);
    named = namedKeys(loaded.sheets);
  }
  const { connection } = options;
  if ('problem' in connection) throw connection.problem;
  const client = createClientFromSettings(connection, options.log, options.redactor, {
    lpsyncVersion: options.lpsyncVersion,
  });
  try {
    log.emit({ type: 'client', concurrency: client.concurrency });
    log.emit({ type: 'stage', stage: 'observe', message: 'reading the Live Platform' });
    const baseUrl = options.redactor.text(connection.baseUrl);
    const services = await client.listServices({ allDetails: true }).catch((error: unknown) => {
      throw unreachableFault(error, baseUrl);
    });
    const { selected, leftOut } = selectExport(services, { only, ...(named ? { named } : {}) });
    const read = await readSites(client, selected, concurrencyCeiling(connection.concurrency), log);
    const rows = tenantRows(selected, read.details, leftOut);
    log.emit({ type: 'stage', stage: 'report', message: `writing ${options.out}` });
    const written = await writeExport(options, rows);
    return {
      written,
      customers: rows.customers.length,
      sites: rows.sites.length,
      listed: { services: services.length, sites: services.reduce((n, s) => n + s.sites.length, 0) },
      leftOut,
      busy: read.busy,
      events: log.events,
    };
  } finally {
    client.close();
  }
}

/** Get SIP Connection for every site written, `limit` at a time under the client's own budget. */
async function readSites(
  client: Pick<LivePlatform, 'getSite'>,
  selected: readonly SelectedService[],
  limit: number,
  log: EventLog,
): Promise<{ details: Map<string, SiteDetails>; busy: number }> {
  const targets = selected.flatMap((s) =>
    [...(s.primary ? [s.primary] : []), ...s.sites].map((site) => ({ service: s.service, site })),
  );
  log.emit({ type: 'export-listed', services: selected.length, sites: targets.length });
  const run = pLimit(limit);
  const details = new Map<string, SiteDetails>();
  let busy = 0;
  await Promise.all(
    targets.map(({ service, site }) =>
      run(async () => {
        const answer = await client.getSite(site.id);
        if (answer) details.set(site.id, answer);
        const pending = (answer?.pendingTasks.length ?? 0) > 0;
        if (pending) busy += 1;
        const status = !answer ? 'missing' : pending ? 'busy' : 'read';
        log.emit({ type: 'export-site', customerShortName: service.shortName, siteName: site.name, status });
      }),
    ),
  );
  return { details, busy };
}

/** The rows in listing order; a site gone between the listing and its read is left out, with the reason. */
function tenantRows(
  selected: readonly SelectedService[],
  details: ReadonlyMap<string, SiteDetails>,
  leftOut: ExportResult['leftOut'],
): TenantRows {
  const rows: TenantRows = { customers: [], sites: [] };
  const gone = (shortName: string, siteName: string) =>
    leftOut.push({
      customerShortName: shortName,
      siteName,
      reason: 'Get SIP Connection answered 404: it was removed after the listing',
    });
  for (const { service, customerRow, primary, sites } of selected) {
    if (customerRow) {
      const read = primary ? details.get(primary.id) : undefined;
      if (primary && !read) gone(service.shortName, primary.name);
      rows.customers.push({ service: serviceFacts(service), site: read ? siteFacts(read) : null });
    }
    for (const site of sites) {
      const read = details.get(site.id);
      if (read) rows.sites.push({ customerShortName: service.shortName, site: siteFacts(read) });
      else gone(service.shortName, site.name);
    }
  }
  return rows;
}

async function writeExport(options: ExportOptions, rows: TenantRows): Promise<string[]> {
  const sheets = exportSheets(rows);
  try {
    if (options.format === 'csv') return writeExportCsv(options.out, sheets);
    await writeExportWorkbook(options.out, sheets, { more: EXPORT_INSTRUCTIONS, created: options.now() });
    return [options.out];
  } catch (error) {
    throw new RunError('invalid-options', `Cannot write --out ${options.out}: ${(error as Error).message}`, {
      hint: 'Name a file (or, with --format csv, a folder) you can write to.',
    });
  }
}
