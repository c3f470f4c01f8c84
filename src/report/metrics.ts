/**
 * `--metrics-file PATH`: the last run in the Prometheus text exposition format (0.0.4), for
 * node_exporter's textfile collector, written atomically (a temporary file in the same folder,
 * then a rename) so the collector never reads half a file. Written by hand rather than with
 * prom-client: a registry, collectors and their dependencies for a dozen gauges written once per
 * run; the format's only subtleties are the escapes below.
 */
import { writeFileAtomically } from './atomic-file.js';
import type { RunHttpCounts, RunOutcome } from './run-outcome.js';

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  samples: Array<{ labels: Labels; value: number }>;
}

/** The text of the metrics file for one run. */
export function metricsText(outcome: RunOutcome, http: RunHttpCounts | null): string {
  const base: Labels = { command: outcome.command };
  const families: Family[] = [];
  const gauge = (name: string, help: string, samples: Family['samples']) => {
    if (samples.length) families.push({ name: `lpsync_last_run_${name}`, help, samples });
  };
  const one = (value: number, labels: Labels = {}) => [{ labels: { ...base, ...labels }, value }];
  const seconds = (iso: string) => Date.parse(iso) / 1000;

  gauge(
    'info',
    'The last run: its id and lpsync version (always 1).',
    one(1, {
      run_id: outcome.summary?.runId ?? '',
      version: outcome.lpsyncVersion,
    }),
  );
  gauge(
    'timestamp_seconds',
    'When the last run ended, in seconds since the epoch.',
    one(seconds(outcome.endedAt)),
  );
  gauge(
    'duration_seconds',
    'How long the last run took.',
    one(Math.max(0, seconds(outcome.endedAt) - seconds(outcome.startedAt))),
  );
  gauge(
    'exit_code',
    'The exit code of the last run (0 ok, 1 rows need a look, 2 invalid, 3 fatal, 4 locked, 130 interrupted).',
    one(outcome.exitCode),
  );
  gauge('success', '1 when the last run ended with exit code 0.', one(outcome.exitCode === 0 ? 1 : 0));

  const s = outcome.summary;
  if (s) {
    gauge(
      'rows',
      'Rows of the last run by status.',
      Object.entries(s.byStatus).map(([status, n]) => ({ labels: { ...base, status }, value: n })),
    );
    gauge(
      'actions',
      'Actions of the last run by kind and status.',
      Object.entries(s.byActionStatus).flatMap(([kind, byStatus]) =>
        Object.entries(byStatus).map(([status, n]) => ({ labels: { ...base, kind, status }, value: n })),
      ),
    );
    gauge(
      'drift_items',
      'Services and sites on the Live Platform that the sheet does not name.',
      one(s.drift),
    );
  }
  if (http) {
    gauge(
      'http_requests',
      'API requests of the last run by HTTP status (timeout or network when no answer came), retries included.',
      Object.entries(http.byStatus).map(([status, n]) => ({ labels: { ...base, status }, value: n })),
    );
    gauge('http_retries', 'API requests of the last run that were retries.', one(http.retries));
    gauge(
      'throttled_requests',
      'API requests of the last run answered 429 Too Many Requests or 503 Service Unavailable (the throttled count of the console summary).',
      one(http.throttled),
    );
  }
  return families.map(render).join('');
}

function render(family: Family): string {
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} gauge`];
  // Sorted so that the file does not change order between runs.
  const samples = [...family.samples].sort((a, b) => labelText(a.labels).localeCompare(labelText(b.labels)));
  for (const { labels, value } of samples)
    lines.push(`${family.name}${labelText(labels)} ${formatValue(value)}`);
  return lines.join('\n') + '\n';
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Label values: backslash, double quote and line feed are escaped (the exposition format's rule). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: backslash and line feed are escaped. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Writes `text` to `path` atomically: the collector sees the old file or the new one, never a part. */
export function writeMetricsFile(path: string, text: string): void {
  // The textfile collector reads only *.prom files: the temporary name does not end in .prom.
  writeFileAtomically(path, text, { mode: 0o644 });
}
