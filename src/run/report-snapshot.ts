import { encodeReportSnapshot, takeReportSnapshot, type ReportParts } from '../report/report-snapshot.js';
import type { StateStore } from '../state/index.js';

/** The report's snapshot, kept (and vouched for) by the state store; what `lpsync report --run` rebuilds from. */
export function keepReportSnapshot(store: Pick<StateStore, 'saveReportSnapshot'>, parts: ReportParts): void {
  const snapshot = takeReportSnapshot(parts);
  store.saveReportSnapshot(parts.summary.runId, encodeReportSnapshot(snapshot), {
    reportPath: parts.summary.reportPath === null ? null : parts.redactor.text(parts.summary.reportPath),
    rows: parts.summary.rows,
    actions: parts.records.length,
  });
}
