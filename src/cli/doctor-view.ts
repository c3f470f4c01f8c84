/** How `lpsync doctor` shows its checks: one line each for people, or JSON for machines. */
import type { Check, DoctorReport } from '../run/doctor.js';

const MARK: Record<Check['status'], string> = { ok: '✓', warn: '!', fail: '✗', skip: '–' };

/** `✓ Title: detail`, and for a warning or failure ` → what to do`; then one closing line. */
export function doctorText(report: DoctorReport, baseUrl: string | null): string {
  const lines = [`lpsync doctor${baseUrl ? `: ${baseUrl}` : ''}`];
  for (const c of report.checks)
    lines.push(
      `${MARK[c.status]} ${c.title}: ${c.detail}${c.hint && c.status !== 'ok' && c.status !== 'skip' ? ` → ${c.hint}` : ''}`,
    );
  const fails = report.checks.filter((c) => c.status === 'fail').length;
  const warns = report.checks.filter((c) => c.status === 'warn').length;
  lines.push(
    fails
      ? `lpsync cannot work from here: ${fails} check(s) failed (✗)${warns ? `, ${warns} warning(s) (!)` : ''}.`
      : warns
        ? `lpsync can work, with ${warns} warning(s) (!) to look at.`
        : `All checks passed: lpsync can work from here.`,
  );
  return lines.join('\n');
}

export function doctorJson(report: DoctorReport): string {
  return JSON.stringify(
    { ok: report.exitCode === 0, exitCode: report.exitCode, checks: report.checks },
    null,
    2,
  );
}
