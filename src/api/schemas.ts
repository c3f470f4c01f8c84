/**
 * Response parsers. The platform is inconsistent about casing (`UmpCustomerGuid`/`customerGuid`/
 * `id`, `SbcConfigurationType`/`sbcConfigurationType`), so every object's keys are lower-cased
 * before zod sees it — one level at a time, so that maps such as `customerVariables` keep the
 * keys exactly as they were sent.
 */
import { z } from 'zod';
import { SBC_CONFIGURATION_TYPES } from '../model/types.js';
import {
  TASK_SUCCESS,
  type CreateCustomerResult,
  type ExecutionMessage,
  type ServiceSummary,
  type SiteDetails,
  type SiteSummary,
  type SiteWriteResult,
  type TaskStatus,
} from './types.js';
import { textOf } from '../model/text.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Lower-cases one object's keys; when two spellings collide the first non-null value wins. */
export function lowerKeys(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = key.toLowerCase();
    if (out[k] === undefined || out[k] === null) out[k] = v;
  }
  return out;
}

/** An object schema whose (lower-case) keys match the input's keys in any casing. */
const ci = <T extends z.ZodRawShape>(shape: T) => z.preprocess(lowerKeys, z.object(shape));

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : String(v)));
const integer = z
  .union([z.number().int(), z.string().regex(/^\s*-?\d+\s*$/)])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : Number(v)));
const flag = z
  .union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])])
  .nullish()
  .transform((v) =>
    v === null || v === undefined ? null : v === true || String(v).toLowerCase() === 'true',
  );
const state = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => v ?? null);
const strings = z
  .array(z.unknown())
  .nullish()
  .transform((v) => (v ?? []).map((item) => (typeof item === 'string' ? item : JSON.stringify(item))));
const variables = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((v) => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(v ?? {})) {
      if (value !== null && value !== undefined) out[key] = textOf(value);
    }
    return out;
  });
const messages = z
  .array(ci({ level: text, message: text }))
  .nullish()
  .transform((v): ExecutionMessage[] =>
    (v ?? []).map((m) => ({ level: m.level ?? 'Information', message: m.message ?? '' })),
  );

/** The integer (0–3) for a configuration type given as an integer or a name (`"SipTrunk"`, `"SIP Trunk"`). */
export function sbcConfigurationTypeCode(value: unknown): number | null {
  const known = (n: number) =>
    Number.isInteger(n) && n >= 0 && n < SBC_CONFIGURATION_TYPES.length ? n : null;
  if (typeof value === 'number') return known(value);
  if (typeof value !== 'string') return null;
  const name = value.replace(/[\s_-]/g, '').toLowerCase();
  if (/^\d+$/.test(name)) return known(Number(name));
  const index = SBC_CONFIGURATION_TYPES.findIndex((n) => n.toLowerCase() === name);
  return index >= 0 ? index : null;
}

const configurationType = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => sbcConfigurationTypeCode(v));

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

/** The list inside an answer: a bare array, or the common wrappers (`value`, `items`, …) some deployments add. */
export function unwrapList(v: unknown): unknown {
  // An empty answer (204, or `null`) from a tenant with no services is an empty list.
  if (v === null || v === undefined) return [];
  const o = lowerKeys(v);
  if (!isRecord(o)) return v;
  for (const key of ['value', 'items', 'data', 'services', 'customers'])
    if (Array.isArray(o[key])) return o[key];
  return v;
}

const serviceList = z.preprocess(unwrapList, z.array(service));

const siteDetails = ci({
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
}).refine((s) => (s.sitename ?? s.name) !== null, { message: 'missing field siteName (also read as name)' });

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

function run<S extends z.ZodType, T>(schema: S, json: unknown, shape: (value: z.output<S>) => T): Parsed<T> {
  // The input is reported so that an absent field is told from a wrong type by the issue's fields.
  const result = schema.safeParse(json, { reportInput: true });
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
  return run(serviceList, json, (v) => v);
}

/** Get Details for Specific Service (an object, or an array of one). */
export function parseService(json: unknown): Parsed<ServiceSummary> {
  const single: unknown = Array.isArray(json) && json.length === 1 ? (json[0] as unknown) : json;
  return run(service, single, (v) => v);
}

/** Get SIP Connection, flattened; `requestedId` stands in when the answer carries no id. */
export function parseSiteDetails(json: unknown, requestedId: string): Parsed<SiteDetails> {
  return run(siteDetails, json, (s): SiteDetails => {
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
  });
}

const IN_PROGRESS = new Set(['inprogress', 'pending', 'queued', 'notstarted', 'running', 'created']);

/** True while a task status (`InProgress`, `In Progress`, `Pending`, …) means "not finished yet". */
export function isTaskInProgress(status: string): boolean {
  return IN_PROGRESS.has(status.replace(/[\s_-]/g, '').toLowerCase());
}

/** Get Task; a success spelt `Completed Success` is reported as `CompletedSuccess`. */
export function parseTask(json: unknown, requestedId: string): Parsed<TaskStatus> {
  return run(task, json, (t): TaskStatus => {
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
  });
}

/** Create customer (v2): the vendor answers `id` and `customerId` (the short name). */
export function parseCreateCustomer(json: unknown, sentShortName: string): Parsed<CreateCustomerResult> {
  const usual = usualCreateCustomer(json);
  if (usual) return { ok: true, value: createCustomerResult(usual, sentShortName) };
  return run(createCustomer, json, (c) => createCustomerResult(c, sentShortName));
}

/** The create answer's fields (lower-case names) as `createCustomer` reads them. */
type CreateCustomerFields = z.output<typeof createCustomer>;

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
  return run(siteWrite, json, (s) => ({
    customerGuid: s.customerguid ?? sentCustomerGuid,
    siteGuid: s.siteguid ?? s.sitelocationid ?? s.id ?? '',
    executionMessages: s.executionmessages,
  }));
}

/** A task id answered as `{"jobId": …}` (or `id`/`taskId`) or as a bare JSON string. */
export function parseJobId(json: unknown): Parsed<string> {
  return run(jobId, json, (v) => v);
}

/** A text field as `text` reads it: null when absent, a string or number as text; NOT_TEXT otherwise. */
const NOT_TEXT = Symbol('not text');
function plainText(value: unknown): string | null | typeof NOT_TEXT {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : NOT_TEXT;
}

/**
 * The create answer as it usually comes (every field text, a number or absent), read by hand into the
 * fields `createCustomer` gives: zod's parse of it was ~0.1 ms of CPU an action in apply's profile.
 * Anything else (a wrong type, no GUID) returns undefined and goes through zod, for its messages.
 */
function usualCreateCustomer(json: unknown): CreateCustomerFields | undefined {
  const c = lowerKeys(json);
  if (!isRecord(c)) return undefined;
  const fields = {
    customerguid: plainText(c.customerguid),
    umpcustomerguid: plainText(c.umpcustomerguid),
    id: plainText(c.id),
    customerid: plainText(c.customerid),
    shortname: plainText(c.shortname),
    deploymentstate: plainText(c.deploymentstate),
    errordetails: plainText(c.errordetails),
    progressdetails: plainText(c.progressdetails),
  };
  if (Object.values(fields).includes(NOT_TEXT)) return undefined;
  const ids = c.sitelocationids;
  if (
    ids !== null &&
    ids !== undefined &&
    !(Array.isArray(ids) && ids.every((v) => plainText(v) !== NOT_TEXT && v !== null && v !== undefined))
  )
    return undefined;
  const read = {
    ...fields,
    sitelocationids: ids as Array<string | number> | null | undefined,
  } as CreateCustomerFields;
  return (read.customerguid ?? read.umpcustomerguid ?? read.id) === null ? undefined : read;
}
