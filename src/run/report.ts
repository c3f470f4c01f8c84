import type { LivePlatform, ServiceSummary } from '../api/types.js';
import type { ApplyResult } from '../apply/types.js';
import type { LoadedWorkbook } from '../input/index.js';
import type { ActionRecord } from '../model/action-record.js';
import type { Redactor } from '../model/redact.js';
import type { ObservedState, Plan } from '../plan/types.js';
import { rowResults } from '../report/row-results.js';
import { buildSummary, summaryJsonPath, writeSummaryJson } from '../report/summary.js';
import type { RunSummary } from '../report/types.js';
import { writeResultsWorkbook } from '../report/workbook.js';
import type { Paper } from '../report/layout.js';

export interface RunReportInput {
  command: string;
  loaded: LoadedWorkbook;
  plan: Plan;
  result: ApplyResult;
  inputFiles: Array<{ file: string; sha256: string }>;
  baseUrl: string;
  lpsyncVersion: string;
  reportPath: string;
  /** The input and options as the resume command names them. */
  inputArgs: string;
  resumeOptions: string;
  scope: RunSummary['scope'];
  approvedPlan: RunSummary['plan'];
  /** How the person runs lpsync (`npx lpsync` in the checkout), for the printed resume command. */
  program?: string;
  /** The paper the workbook prints on; default A4. */
  paper?: Paper;
  redactor: Redactor;
  /** The client's request budget as the run left it. */
  concurrency?: RunSummary['concurrency'];
  /** Where the journal is, for the message when the workbook cannot be written. */
  statePath: string;
  warn: (message: string) => void;
  /** Who ran it, the resumes, the audit chain's head (the state store's account): the Summary's audit rows. */
  trail?: RunSummary['audit'];
  /** The before-image written beside the report (`<report>.before.xlsx`); null when the run modified nothing. */
  beforeImage?: string | null;
}

/** The summary, the results workbook and its JSON twin. A report that cannot be written does not undo the run. */
export async function writeRunReport(input: RunReportInput): Promise<RunSummary & { exitCode: number }> {
  const { loaded, result } = input;
  const rows = rowResults(loaded.sheets, result.records, loaded.invalidRows, loaded.issues);
  const summary = buildSummary({
    runId: result.runId,
    command: input.command,
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    lpsyncVersion: input.lpsyncVersion,
    baseUrl: input.baseUrl,
    inputFiles: input.inputFiles,
    rows,
    apply: result,
    drift: input.plan.drift.length,
    reportPath: input.reportPath,
    inputArgs: input.inputArgs,
    resumeOptions: input.resumeOptions,
    scope: input.scope,
    plan: input.approvedPlan,
    ...(input.program ? { program: input.program } : {}),
    ...(input.concurrency ? { concurrency: input.concurrency } : {}),
    ...(input.trail ? { audit: input.trail } : {}),
    ...(input.beforeImage ? { beforeImage: input.beforeImage } : {}),
  });
  try {
    await writeResultsWorkbook(
      input.reportPath,
      {
        sheets: loaded.sheets,
        results: rows,
        summary,
        drift: input.plan.drift,
        issues: loaded.issues,
        redactor: input.redactor,
      },
      input.paper ? { paper: input.paper } : {},
    );
    writeSummaryJson(summaryJsonPath(input.reportPath), summary, input.redactor);
  } catch (error) {
    summary.reportPath = null;
    input.warn(
      `The report could not be written to ${input.reportPath}: ${error instanceof Error ? error.message : String(error)}. Every result is in the journal of run ${result.runId} in ${input.statePath}; choose another --report or --reports-dir next time.`,
    );
  }
  return summary;
}

/**
 * Deployment states for the report: the listing's name (`Deployed`) first, Get SIP Connection's integer
 * otherwise; one more listing when sites were made in this run (the report does without it if it fails).
 */
export async function withDeploymentStates(
  result: ApplyResult,
  observed: ObservedState,
  client: Pick<LivePlatform, 'listServices'>,
): Promise<ApplyResult> {
  let records = fill(result.records, observed.services, observed);
  if (!result.fatal && records.some((r) => r.status === 'succeeded' && r.deploymentState === null)) {
    const after = await client.listServices({ allDetails: true }).catch(() => null);
    if (after) records = fill(records, after, observed);
  }
  return { ...result, records };
}

function fill(records: ActionRecord[], services: ServiceSummary[], observed: ObservedState): ActionRecord[] {
  const listed = new Map<string, string | number | null>();
  for (const service of services)
    for (const site of service.sites) listed.set(site.id, site.sbcDeploymentState);
  return records.map((r) => {
    if (r.deploymentState !== null || r.siteGuid === null) return r;
    const state = listed.get(r.siteGuid) ?? observed.sites.get(r.siteGuid)?.sbcDeploymentState ?? null;
    return state === null ? r : { ...r, deploymentState: String(state) };
  });
}
