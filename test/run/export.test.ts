/**
 * `export` on the simulator (real HTTP on a port the OS chose, real files): the tenant in the template's
 * format, every field the platform returns typed as the template expects it, the rest blank with its header
 * note saying why; plan of the file is 0 changes; CSV the same; --only and --not-in select what is written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantState } from '../../bench/tenant.js';
import { loadWorkbook } from '../../src/input/index.js';
import { silentLog } from '../../src/model/log.js';
import { createRedactor } from '../../src/model/redact.js';
import * as run from '../../src/run/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { simulatorConnection } from '../support/connection.js';

const SERVICES = 24;
const SITES = 60;
const dir = mkdtempSync(join(tmpdir(), 'lpsync-export-'));
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 25, initialState: tenantState(SERVICES, SITES) });
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

function exportTo(out: string, more: Partial<run.ExportOptions> = {}) {
  return run.exportTenant({
    connection: simulatorConnection(sim.url),
    format: 'xlsx',
    out,
    log: silentLog,
    redactor: createRedactor(),
    lpsyncVersion: 'test',
    now: () => new Date('2026-11-27T02:15:00Z'),
    ...more,
  });
}

function planOf(source: run.InputSource, statePath = join(dir, 'plan-state.db')) {
  return run.plan({
    source,
    connection: simulatorConnection(sim.url),
    statePath,
    shape: run.planShape({ only: [] }),
    adopt: false,
    outputs: [],
    log: silentLog,
    redactor: createRedactor(),
    lpsyncVersion: 'test',
    now: () => new Date('2026-11-27T02:15:00Z'),
  });
}

/** A sheet's rows as header → cell value (as exceljs reads them back). */
async function sheetRows(path: string, name: string): Promise<Array<Record<string, unknown>>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const ws = book.getWorksheet(name)!;
  const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Array<Record<string, unknown>> = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const values = row.values as unknown[];
    rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i + 1] ?? null])));
  });
  return rows;
}

describe('export', () => {
  it('writes every service and SIP connection, and plans as 0 changes', async () => {
    const out = join(dir, 'tenant.xlsx');
    const seen: run.RunEvent[] = [];
    const result = await exportTo(out, { onEvent: (e) => seen.push(e) });
    expect(result.written).toEqual([out]);
    expect(result.customers).toBe(SERVICES);
    expect(result.sites).toBe(SITES - SERVICES);
    expect(result.events).toEqual(seen);
    expect(seen.filter((e) => e.type === 'export-site')).toHaveLength(SITES);
    const loaded = await loadWorkbook({ kind: 'xlsx', path: out });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers).toHaveLength(SERVICES);
    const planned = await planOf({ kind: 'xlsx', path: out });
    if (planned.kind !== 'planned') throw new Error('invalid');
    const { counts } = planned.change.plan;
    expect(counts).toMatchObject({
      'create-customer': 0,
      'create-oc-service': 0,
      'add-site': 0,
      'modify-site': 0,
      conflict: 0,
      unchanged: SITES,
    });
    expect(sim.writesReceived()).toEqual([]);
  });

  it('types each value as the template expects, leaves secrets and unreturned fields blank and says why', async () => {
    const out = join(dir, 'typed.xlsx');
    await exportTo(out);
    const state = tenantState(SERVICES, SITES);
    const customers = await sheetRows(out, 'Customers');
    const zeros = customers.find((r) => String(r['Short Name']).startsWith('00'))!;
    expect(typeof zeros['Short Name']).toBe('string');
    expect(typeof zeros['SBC Id']).toBe('number');
    expect(String(zeros['Carrier User Name'])).toMatch(/^00\d{6}$/);
    const first = state.services[0]!;
    const row = customers.find((r) => r['Short Name'] === first.shortName)!;
    expect(row).toMatchObject({
      License: 'Essentials',
      'Full Name': first.fullName,
      'SBC Configuration Type': 'Unknown',
      'Proxy Set': first.sites[0]!.carrierId,
      'Carrier Password': null,
      'Channel Id': null,
      'CustomVar.Variable1': first.sites[0]!.customerVariables['CustomVar.Variable1'],
    });
    const sites = await sheetRows(out, 'SipConnections');
    expect(sites.every((r) => r['Carrier Password'] === null && r['Phones'] === null)).toBe(true);
    expect(new Set(sites.map((r) => r['Configure SBC']))).toEqual(new Set(['TRUE', 'FALSE']));
    expect(Object.keys(sites[0]!)).toEqual(expect.arrayContaining(['Var:Region', 'Var:SipPassword']));
    expect(sites.every((r) => r['Var:SipPassword'] === null)).toBe(true);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const header = book.getWorksheet('SipConnections')!.getRow(1);
    const notes = (header.values as unknown[])
      .slice(1)
      .map((_, i) => JSON.stringify(header.getCell(i + 1).note));
    const noteOf = (name: string) => notes[(header.values as unknown[]).slice(1).indexOf(name)]!;
    expect(noteOf('Carrier Password')).toContain('never writes a secret');
    expect(noteOf('Phones')).toContain('does not return');
    expect(noteOf('CAC Profile')).not.toContain('Blank in an export');
  });

  it('no secret the tenant holds is anywhere in the files; ids with leading zeros are Text cells', async () => {
    const out = join(dir, 'secrets.xlsx');
    await exportTo(out);
    const csv = (await exportTo(join(dir, 'secrets-csv'), { format: 'csv' })).written;
    const zip = await JSZip.loadAsync(readFileSync(out));
    const parts = await Promise.all(Object.values(zip.files).map((f) => f.async('string')));
    const files = [...parts, ...csv.map((path) => readFileSync(path, 'utf8'))].join('\n');
    const { services } = tenantState(SERVICES, SITES);
    const sites = services.flatMap((s) => s.sites);
    const secrets = [
      ...sites.flatMap((s) => [s.customerVariables.CarrierUserPassword, s.customerVariables.SipPassword]),
      ...sites.map((s) => s.carrierPasswordDPI),
      ...services.map((s) => s.teamsQos?.applicationPassword),
    ].filter((v): v is string => typeof v === 'string');
    expect(secrets.length).toBeGreaterThan(SITES);
    expect(secrets.filter((secret) => files.includes(secret))).toEqual([]);
    // The search would find them: what the platform returns beside them is there.
    expect(sites.every((s) => files.includes(s.carrierHostName!))).toBe(true);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const ws = book.getWorksheet('Customers')!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const zeros = [...Array(ws.rowCount - 1).keys()]
      .map((k) => ws.getRow(k + 2))
      .find((row) => row.getCell(headers.indexOf('Short Name') + 1).text.startsWith('00'))!;
    for (const name of [
      'Short Name',
      'Site Name',
      'Carrier User Name',
      'Carrier Main Line',
      'CustomVar.Variable1',
    ]) {
      const cell = zeros.getCell(headers.indexOf(name) + 1);
      expect([name, cell.type, cell.numFmt, cell.text.startsWith('00')]).toEqual([
        name,
        ExcelJS.ValueType.String,
        '@',
        true,
      ]);
    }
  });

  it('--format csv writes the template CSV files, which plan as 0 changes too', async () => {
    const folder = join(dir, 'csv');
    const result = await exportTo(folder, { format: 'csv' });
    expect(result.written).toEqual([join(folder, 'customers.csv'), join(folder, 'sip-connections.csv')]);
    const header = readFileSync(result.written[0]!, 'utf8').split('\r\n')[0]!;
    expect(header.replace('\ufeff', '').startsWith('License,Short Name,Full Name,MS Tenant Id')).toBe(true);
    const planned = await planOf({ kind: 'csv', customers: result.written[0]!, sites: result.written[1]! });
    if (planned.kind !== 'planned') throw new Error(JSON.stringify(planned.loaded.issues.slice(0, 3)));
    expect(planned.change.plan.counts.unchanged).toBe(SITES);
  });

  it('--only customer:GLOB writes the services it matches', async () => {
    const out = join(dir, 'only.xlsx');
    const result = await exportTo(out, { only: ['customer:00*'] });
    const customers = await sheetRows(out, 'Customers');
    expect(customers.length).toBeGreaterThan(0);
    expect(result.customers).toBe(customers.length);
    expect(customers.every((r) => String(r['Short Name']).startsWith('00'))).toBe(true);
    await expect(exportTo(out, { only: ['row:Customers!2'] })).rejects.toThrow(/by name only/);
  });

  it('--not-in lists exactly what the workbook does not name: the other half of the tenant', async () => {
    const folder = join(dir, 'halves');
    const [customersCsv, sitesCsv] = (await exportTo(folder, { format: 'csv' })).written as [string, string];
    const lines = (path: string) => readFileSync(path, 'utf8').split('\r\n').filter(Boolean);
    const [customerHeader, ...customerLines] = lines(customersCsv);
    const [siteHeader, ...siteLines] = lines(sitesCsv);
    const keyOf = (line: string) => line.split(',').slice(0, 2).join('/');
    // Half the tenant: the first half of the services, less every third of their further SIP connections.
    const kept = new Set(customerLines.slice(0, SERVICES / 2).map((l) => l.split(',')[1]!));
    const keptSites = siteLines.filter((l) => kept.has(l.split(',')[0]!)).filter((_, k) => k % 3 !== 0);
    writeFileSync(
      join(folder, 'half-customers.csv'),
      [customerHeader, ...customerLines.slice(0, SERVICES / 2)].join('\r\n'),
    );
    writeFileSync(join(folder, 'half-sites.csv'), [siteHeader, ...keptSites].join('\r\n'));
    const notIn = {
      kind: 'csv' as const,
      customers: join(folder, 'half-customers.csv'),
      sites: join(folder, 'half-sites.csv'),
    };
    const drift = join(dir, 'drift.xlsx');
    await exportTo(drift, { notIn });
    const driftCustomers = (await sheetRows(drift, 'Customers')).map((r) => String(r['Short Name']));
    const driftSites = (await sheetRows(drift, 'SipConnections')).map(
      (r) => `${String(r['Customer Short Name'])}/${String(r['Site Name'])}`,
    );
    const otherHalf = customerLines.slice(SERVICES / 2).map((l) => l.split(',')[1]!);
    expect(driftCustomers).toEqual(otherHalf);
    const halfSites = new Set(keptSites.map(keyOf));
    expect(driftSites).toEqual(siteLines.map(keyOf).filter((k) => !halfSites.has(k)));
    // A workbook that names the whole tenant leaves nothing to export.
    const nothing = await exportTo(join(dir, 'nothing.xlsx'), {
      notIn: { kind: 'xlsx', path: join(dir, 'tenant.xlsx') },
    });
    expect(nothing.customers + nothing.sites).toBe(0);
  });
});
