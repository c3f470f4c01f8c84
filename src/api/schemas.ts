/**
 * Response parsers. The platform is inconsistent about casing (`UmpCustomerGuid`/`customerGuid`/
 * `id`, `SbcConfigurationType`/`sbcConfigurationType`), so every object's keys are lower-cased
 * before zod sees it — one level at a time, so that maps such as `customerVariables` keep the
 * keys exactly as they were sent. The usual answers are read by hand (usual-answers.ts) into what
 * these schemas give; zod, loaded on first use, reads the rest and words what is wrong.
 */
import type { z } from 'zod';
import { lazy, type ZodModule } from '../model/zod-lazy.js';
import { lowerKeys, unwrapList } from './answer-keys.js';
import { fieldSchemas } from './field-schemas.js';
import {
  TASK_SUCCESS,
  type CreateCustomerResult,
  type ServiceSummary,
  type SiteDetails,
  type SiteSummary,
  type SiteWriteResult,
  type TaskStatus,
} from './types.js';
import {
  usualCreateCustomer,
  usualJobId,
  usualServiceList,
  usualSiteDetails,
  usualSiteWrite,
  usualTask,
} from './usual-answers.js';

export { lowerKeys, sbcConfigurationTypeCode, unwrapList } from './answer-keys.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

type Zod = ZodModule['z'];
type Fields = ReturnType<typeof fieldSchemas>;

/** Get Services Brief Details and one service. */
function serviceSchemas(z: Zod, { ci, text, integer, state, configurationType }: Fields) {
  const siteSummary = ci({
    id: text,
    name: text,
    sitelocationname: text,
    sbcid: integer,
    sbcdeploymentstate: state,
    sbcconfigurationtype: configurationType,
  })
    .refine((s) => s.id !== null, { message: 'missing field id (a SiteLocation entry without its id)' })
    .transform((s): SiteSummary => ({
      id: s.id ?? '',
      name: s.name ?? s.sitelocationname ?? '',
      sbcId: s.sbcid,
      sbcDeploymentState: s.sbcdeploymentstate,
      sbcConfigurationType: s.sbcconfigurationtype,
    }));

  const service = ci({
    umpcustomerguid: text,
    customerguid: text,
    id: text,
    customershortname: text,
    shortname: text,
    customerfullname: text,
    fullname: text,
    licensetype: integer,
    mstenantid: text,
    licenseduserscount: integer,
    sitelocation: z.array(siteSummary).nullish(),
    sitelocations: z.array(siteSummary).nullish(),
  })
    .refine((s) => (s.umpcustomerguid ?? s.customerguid ?? s.id) !== null, {
      message: 'missing field UmpCustomerGuid (also read as customerGuid or Id)',
    })
    .refine((s) => (s.customershortname ?? s.shortname) !== null, {
      message: 'missing field CustomerShortName (also read as ShortName)',
    })
    .transform((s): ServiceSummary => ({
      customerGuid: s.umpcustomerguid ?? s.customerguid ?? s.id ?? '',
      shortName: s.customershortname ?? s.shortname ?? '',
      fullName: s.customerfullname ?? s.fullname,
      licenseType: s.licensetype,
      msTenantId: s.mstenantid,
      licensedUsersCount: s.licenseduserscount,
      sites: s.sitelocation ?? s.sitelocations ?? [],
    }));

  const serviceList = z.preprocess(unwrapList, z.array(service));
  return { service, serviceList };
}

/** Get SIP Connection. */
function siteDetailsSchema(z: Zod, f: Fields) {
  const { ci, text, integer, flag, state, variables, configurationType } = f;
  return ci({
    id: text,
    sitelocationid: text,
    sitename: text,
    name: text,
    tenantid: text,
    sbcdeploymentstate: state,
    m365deploymentstate: state,
    onlinepstngateway: text,
    sbcinfo: ci({
      sbcconfigurationtype: configurationType,
      cacprofile: text,
      carrierhostname: text,
      carrierid: text,
      carriermainline: text,
      carrierusername: text,
      flagconfiguresbc: flag,
      sbcid: integer,
      sbcscripts: ci({
        onboardingscript: integer,
        cleanupscript: integer,
        customervariables: variables,
      }).nullish(),
    }).nullish(),
    m365info: ci({
      m365scripts: ci({
        flagconfigurem365routing: flag,
        onboardingscript: integer,
        cleanupscript: integer,
        customervariables: variables,
      }).nullish(),
    }).nullish(),
    pendingtasks: z.array(z.unknown()).nullish(),
  }).refine((s) => (s.sitename ?? s.name) !== null, {
    message: 'missing field siteName (also read as name)',
  });
}

/** The answers to writes and task polls. */
function writeSchemas(z: Zod, { ci, text, strings, messages }: Fields) {
  const task = ci({
    id: text,
    taskid: text,
    status: z.string(),
    details: strings,
    executionmessages: messages,
    outputdata: z.record(z.string(), z.unknown()).nullish(),
  });

  const createCustomer = ci({
    customerguid: text,
    umpcustomerguid: text,
    id: text,
    customerid: text,
    shortname: text,
    sitelocationids: z.array(z.union([z.string(), z.number()])).nullish(),
    deploymentstate: text,
    errordetails: text,
    progressdetails: text,
  }).refine((c) => (c.customerguid ?? c.umpcustomerguid ?? c.id) !== null, {
    message: 'missing field id (the customer GUID; also read as customerGuid or UmpCustomerGuid)',
  });

  const siteWrite = ci({
    customerguid: text,
    siteguid: text,
    sitelocationid: text,
    id: text,
    executionmessages: messages,
  }).refine((s) => (s.siteguid ?? s.sitelocationid ?? s.id) !== null, {
    message: 'missing field siteGuid (also read as siteLocationId or id)',
  });

  const jobId = z.union([
    z.string().min(1),
    ci({ jobid: text, taskid: text, id: text })
      .refine((j) => (j.jobid ?? j.taskid ?? j.id) !== null, {
        message: 'missing field jobId (also read as taskId or id)',
      })
      .transform((j) => j.jobid ?? j.taskid ?? j.id ?? ''),
  ]);
  return { task, createCustomer, siteWrite, jobId };
}

/** The answers' schemas, built on first use (the validators of record: usual-answers.ts agrees with them). */
export const answerSchemas = lazy((z) => {
  const fields = fieldSchemas(z);
  return {
    ...serviceSchemas(z, fields),
    siteDetails: siteDetailsSchema(z, fields),
    ...writeSchemas(z, fields),
  };
});

type Schemas = ReturnType<typeof answerSchemas>;
/** What each schema gives (lower-case field names), and what the hand readers give for the usual answer. */
export type SiteDetailsFields = z.output<Schemas['siteDetails']>;
export type TaskFields = z.output<Schemas['task']>;
export type CreateCustomerFields = z.output<Schemas['createCustomer']>;
export type SiteWriteFields = z.output<Schemas['siteWrite']>;

/** The usual answer read by hand, else the schema's parse (zod loads here); either way through the same `shape`. */
function run<S extends z.ZodType, T>(
  usual: z.output<S> | undefined,
  schema: (all: Schemas) => S,
  json: unknown,
  shape: (value: z.output<S>) => T,
): Parsed<T> {
  if (usual !== undefined) return { ok: true, value: shape(usual) };
  // The input is reported so that an absent field is told from a wrong type by the issue's fields.
  const result = schema(answerSchemas()).safeParse(json, { reportInput: true });
  if (!result.success) {
    const problem = result.error.issues
      .slice(0, 5)
      .map((i) => {
        const where = i.path.join('.');
        // Keys were lower-cased for reading: name the field as absent rather than as a type error.
        if (i.code === 'invalid_type' && i.input === undefined && where) return `missing field ${where}`;
        return where ? `${where}: ${i.message}` : i.message;
      })
      .join('; ');
    return { ok: false, problem };
  }
  return { ok: true, value: shape(result.data) };
}

/** Get Services Brief Details (V3). */
export function parseServiceList(json: unknown): Parsed<ServiceSummary[]> {
  return run(
    usualServiceList(json),
    (all) => all.serviceList,
    json,
    (v) => v,
  );
}

/** Get Details for Specific Service (an object, or an array of one). */
export function parseService(json: unknown): Parsed<ServiceSummary> {
  const single: unknown = Array.isArray(json) && json.length === 1 ? (json[0] as unknown) : json;
  return run(
    undefined,
    (all) => all.service,
    single,
    (v) => v,
  );
}

/** Get SIP Connection, flattened; `requestedId` stands in when the answer carries no id. */
export function parseSiteDetails(json: unknown, requestedId: string): Parsed<SiteDetails> {
  return run(
    usualSiteDetails(json),
    (all) => all.siteDetails,
    json,
    (s): SiteDetails => {
      const sbc = s.sbcinfo;
      const scripts = sbc?.sbcscripts;
      const m365 = s.m365info?.m365scripts;
      return {
        id: s.id ?? s.sitelocationid ?? requestedId,
        siteName: s.sitename ?? s.name ?? '',
        tenantId: s.tenantid,
        sbcDeploymentState: s.sbcdeploymentstate,
        m365DeploymentState: s.m365deploymentstate,
        onlinePstnGateway: s.onlinepstngateway,
        sbcConfigurationType: sbc?.sbcconfigurationtype ?? null,
        cacProfile: sbc?.cacprofile ?? null,
        carrierHostName: sbc?.carrierhostname ?? null,
        carrierId: sbc?.carrierid ?? null,
        carrierMainLine: sbc?.carriermainline ?? null,
        carrierUserName: sbc?.carrierusername ?? null,
        flagConfigureSbc: sbc?.flagconfiguresbc ?? null,
        sbcId: sbc?.sbcid ?? null,
        onboardingScript: scripts?.onboardingscript ?? null,
        cleanupScript: scripts?.cleanupscript ?? null,
        customerVariables: scripts?.customervariables ?? {},
        m365: {
          flagConfigureM365Routing: m365?.flagconfigurem365routing ?? null,
          onboardingScript: m365?.onboardingscript ?? null,
          cleanupScript: m365?.cleanupscript ?? null,
          customerVariables: m365?.customervariables ?? {},
        },
        pendingTasks: s.pendingtasks ?? [],
      };
    },
  );
}

const IN_PROGRESS = new Set(['inprogress', 'pending', 'queued', 'notstarted', 'running', 'created']);

/** True while a task status (`InProgress`, `In Progress`, `Pending`, …) means "not finished yet". */
export function isTaskInProgress(status: string): boolean {
  return IN_PROGRESS.has(status.replace(/[\s_-]/g, '').toLowerCase());
}

/** Get Task; a success spelt `Completed Success` is reported as `CompletedSuccess`. */
export function parseTask(json: unknown, requestedId: string): Parsed<TaskStatus> {
  return run(
    usualTask(json),
    (all) => all.task,
    json,
    (t): TaskStatus => {
      const outputData = t.outputdata ?? {};
      const output = lowerKeys(outputData) as Record<string, unknown>;
      const guid = output.umpcustomerguid ?? output.customerguid;
      const success = t.status.replace(/[\s_-]/g, '').toLowerCase() === TASK_SUCCESS.toLowerCase();
      return {
        id: t.id ?? t.taskid ?? requestedId,
        status: success ? TASK_SUCCESS : t.status,
        details: t.details,
        executionMessages: t.executionmessages,
        outputData,
        customerGuid: typeof guid === 'string' && guid !== '' ? guid : null,
      };
    },
  );
}

/** Create customer (v2): the vendor answers `id` and `customerId` (the short name). */
export function parseCreateCustomer(json: unknown, sentShortName: string): Parsed<CreateCustomerResult> {
  return run(
    usualCreateCustomer(json),
    (all) => all.createCustomer,
    json,
    (c) => createCustomerResult(c, sentShortName),
  );
}

function createCustomerResult(c: CreateCustomerFields, sentShortName: string): CreateCustomerResult {
  return {
    customerGuid: c.customerguid ?? c.umpcustomerguid ?? c.id ?? '',
    shortName: c.customerid ?? c.shortname ?? sentShortName,
    siteLocationIds: (c.sitelocationids ?? []).map(String),
    deploymentState: c.deploymentstate,
    errorDetails: c.errordetails,
    progressDetails: c.progressdetails,
  };
}

/** Add / Modify SIP Connection. */
export function parseSiteWrite(json: unknown, sentCustomerGuid: string): Parsed<SiteWriteResult> {
  return run(
    usualSiteWrite(json),
    (all) => all.siteWrite,
    json,
    (s) => ({
      customerGuid: s.customerguid ?? sentCustomerGuid,
      siteGuid: s.siteguid ?? s.sitelocationid ?? s.id ?? '',
      executionMessages: s.executionmessages,
    }),
  );
}

/** A task id answered as `{"jobId": …}` (or `id`/`taskId`) or as a bare JSON string. */
export function parseJobId(json: unknown): Parsed<string> {
  return run(
    usualJobId(json),
    (all) => all.jobId,
    json,
    (v) => v,
  );
}
