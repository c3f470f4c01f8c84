/** The metrics file: the Prometheus text format with its escapes, written atomically. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabel, metricsText, writeMetricsFile } from '../../src/report/metrics.js';
import { outcomeOf, summaryOf } from './run-end-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every sample line as `name{labels} value`, checked against the exposition format's grammar. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const declared = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(meta[3]).toBe('gauge');
        declared.add(meta[2]!);
      }
      continue;
    }
    const m =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*\})? (\S+)$/.exec(
        line,
      );
    expect(m, line).not.toBe(null);
    expect(declared.has(m![1]!), `${m![1]} has a TYPE line before it`).toBe(true);
    out.set(`${m![1]}${m![2] ?? ''}`, Number(m![3]));
  }
  return out;
}

describe('metrics text', () => {
  it('last run timestamp, duration, exit code, rows, actions, requests by status, throttled, drift', () => {
    const text = metricsText(outcomeOf(), {
      requests: 40,
      retries: 3,
      byStatus: { '200': 35, '429': 2, '503': 1, timeout: 2 },
      throttled: 2,
    });
    const s = samples(text);
    const c = 'command="reconcile"';
    expect(s.get(`lpsync_last_run_timestamp_seconds{${c}}`)).toBe(
      Date.parse('2026-11-30T02:15:42.500Z') / 1000,
    );
    expect(s.get(`lpsync_last_run_duration_seconds{${c}}`)).toBe(42.5);
    expect(s.get(`lpsync_last_run_exit_code{${c}}`)).toBe(1);
    expect(s.get(`lpsync_last_run_success{${c}}`)).toBe(0);
    expect(s.get(`lpsync_last_run_rows{${c},status="failed"}`)).toBe(2);
    expect(s.get(`lpsync_last_run_rows{${c},status="unchanged"}`)).toBe(15);
    expect(s.get(`lpsync_last_run_actions{${c},kind="create-customer",status="succeeded"}`)).toBe(2);
    expect(s.get(`lpsync_last_run_actions{${c},kind="modify-site",status="failed"}`)).toBe(2);
    expect(s.get(`lpsync_last_run_http_requests{${c},status="429"}`)).toBe(2);
    expect(s.get(`lpsync_last_run_http_requests{${c},status="timeout"}`)).toBe(2);
    expect(s.get(`lpsync_last_run_http_retries{${c}}`)).toBe(3);
    expect(s.get(`lpsync_last_run_throttled_requests{${c}}`)).toBe(2);
    expect(s.get(`lpsync_last_run_drift_items{${c}}`)).toBe(4);
    expect(s.get(`lpsync_last_run_info{${c},run_id="run-20261130T021500-0a1b2c3d",version="0.1.0"}`)).toBe(1);
  });

  it('a run that ended before its summary (unreachable) still has its time and exit code', () => {
    const s = samples(metricsText(outcomeOf({ exitCode: 3, summary: null, error: 'unreachable' }), null));
    expect(s.get('lpsync_last_run_exit_code{command="reconcile"}')).toBe(3);
    expect([...s.keys()].some((k) => k.startsWith('lpsync_last_run_rows'))).toBe(false);
  });

  it('escapes label values (\\ " and line feed) and HELP text (\\ and line feed)', () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeHelp('a\\b\nc "q"')).toBe('a\\\\b\\nc "q"');
    const odd = outcomeOf({ summary: summaryOf({ runId: 'run "x"\\\n1', byStatus: { 'we"ird\\': 1 } }) });
    const s = samples(metricsText(odd, null));
    expect(s.get('lpsync_last_run_rows{command="reconcile",status="we\\"ird\\\\"}')).toBe(1);
  });

  it('is written atomically: the old file or the new one, no temporary file left', () => {
    const path = join(dir, 'textfile', 'lpsync.prom');
    writeMetricsFile(path, metricsText(outcomeOf(), null));
    const first = readFileSync(path, 'utf8');
    writeMetricsFile(path, metricsText(outcomeOf({ exitCode: 0 }), null));
    expect(readFileSync(path, 'utf8')).not.toBe(first);
    expect(readdirSync(join(dir, 'textfile'))).toEqual(['lpsync.prom']);
    writeFileSync(join(dir, 'blocker'), '');
    expect(() => writeMetricsFile(join(dir, 'blocker', 'x.prom'), 'x')).toThrow();
  });
});
