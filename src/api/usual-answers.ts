/**
 * The answers an ordinary plan or apply parses, read by hand in the shape they usually come: zod's parse of
 * them was CPU per action, and loading zod ~50 ms per run. Each reader gives exactly what its schema
 * (schemas.ts) gives, or undefined for anything unusual (a wrong type, a missing id), which then goes
 * through zod for its message. test/api/usual-answers.test.ts checks the two agree on random answers.
 */
import { unwrapList } from './answer-keys.js';
import type { CreateCustomerFields, SiteDetailsFields, SiteWriteFields, TaskFields } from './schemas.js';
import type { ServiceSummary, SiteSummary } from './types.js';
import {
  allRead,
  got,
  configurationType,
  flag,
  integer,
  listOf,
  lowered,
  messages,
  NOT,
  NotUsual,
  plainRecord,
  state,
  strings,
  text,
  variables,
  type Read,
} from './usual-values.js';

const orUndefined = <T>(v: Read<T>): T | undefined => (v instanceof NotUsual ? undefined : v);

function siteSummary(v: unknown): Read<SiteSummary> {
  const s = lowered(v);
  if (s instanceof NotUsual) return NOT;
  const r = got({
    id: text(s.id),
    name: text(s.name),
    sitelocationname: text(s.sitelocationname),
    sbcid: integer(s.sbcid),
    sbcdeploymentstate: state(s.sbcdeploymentstate),
    sbcconfigurationtype: configurationType(s.sbcconfigurationtype),
  });
  if (!r || r.id === null) return NOT;
  return {
    id: r.id ?? '',
    name: r.name ?? r.sitelocationname ?? '',
    sbcId: r.sbcid,
    sbcDeploymentState: r.sbcdeploymentstate,
    sbcConfigurationType: r.sbcconfigurationtype,
  };
}

function service(v: unknown): Read<ServiceSummary> {
  const s = lowered(v);
  if (s instanceof NotUsual) return NOT;
  const r = got({
    umpcustomerguid: text(s.umpcustomerguid),
    customerguid: text(s.customerguid),
    id: text(s.id),
    customershortname: text(s.customershortname),
    shortname: text(s.shortname),
    customerfullname: text(s.customerfullname),
    fullname: text(s.fullname),
    licensetype: integer(s.licensetype),
    mstenantid: text(s.mstenantid),
    licenseduserscount: integer(s.licenseduserscount),
    sitelocation: listOf(s.sitelocation, siteSummary),
    sitelocations: listOf(s.sitelocations, siteSummary),
  });
  if (!r) return NOT;
  const customerGuid = r.umpcustomerguid ?? r.customerguid ?? r.id;
  const shortName = r.customershortname ?? r.shortname;
  if (customerGuid === null || shortName === null) return NOT;
  return {
    customerGuid,
    shortName,
    fullName: r.customerfullname ?? r.fullname,
    licenseType: r.licensetype,
    msTenantId: r.mstenantid,
    licensedUsersCount: r.licenseduserscount,
    sites: r.sitelocation ?? r.sitelocations ?? [],
  };
}

/** Get Services Brief Details, as `serviceList` reads it. */
export const usualServiceList = (json: unknown): ServiceSummary[] | undefined =>
  orUndefined(listOf(unwrapList(json), service) as Read<ServiceSummary[]>);

/** A nested object (`sbcInfo`, …) as `ci(…).nullish()` reads it. */
function nested<T extends Record<string, unknown>>(
  v: unknown,
  read: (o: Record<string, unknown>) => T,
): Read<T | null | undefined> {
  if (v === null || v === undefined) return v;
  const o = lowered(v);
  if (o instanceof NotUsual) return NOT;
  const f = read(o);
  return allRead(f) ? f : NOT;
}

const sbcScripts = (o: Record<string, unknown>) => ({
  onboardingscript: integer(o.onboardingscript),
  cleanupscript: integer(o.cleanupscript),
  customervariables: variables(o.customervariables),
});

function sbcInfo(o: Record<string, unknown>) {
  return {
    sbcconfigurationtype: configurationType(o.sbcconfigurationtype),
    cacprofile: text(o.cacprofile),
    carrierhostname: text(o.carrierhostname),
    carrierid: text(o.carrierid),
    carriermainline: text(o.carriermainline),
    carrierusername: text(o.carrierusername),
    flagconfiguresbc: flag(o.flagconfiguresbc),
    sbcid: integer(o.sbcid),
    sbcscripts: nested(o.sbcscripts, sbcScripts),
  };
}

const m365Info = (o: Record<string, unknown>) => ({
  m365scripts: nested(o.m365scripts, (s) => ({
    flagconfigurem365routing: flag(s.flagconfigurem365routing),
    onboardingscript: integer(s.onboardingscript),
    cleanupscript: integer(s.cleanupscript),
    customervariables: variables(s.customervariables),
  })),
});

/** Get SIP Connection, as `siteDetails` reads it. */
export function usualSiteDetails(json: unknown): SiteDetailsFields | undefined {
  const s = lowered(json);
  if (s instanceof NotUsual) return undefined;
  const r = got({
    id: text(s.id),
    sitelocationid: text(s.sitelocationid),
    sitename: text(s.sitename),
    name: text(s.name),
    tenantid: text(s.tenantid),
    sbcdeploymentstate: state(s.sbcdeploymentstate),
    m365deploymentstate: state(s.m365deploymentstate),
    onlinepstngateway: text(s.onlinepstngateway),
    sbcinfo: nested(s.sbcinfo, sbcInfo),
    m365info: nested(s.m365info, m365Info),
    pendingtasks: listOf(s.pendingtasks, (x) => x),
  });
  if (!r || (r.sitename ?? r.name) === null) return undefined;
  return r as SiteDetailsFields;
}

/** Get Task, as `task` reads it. */
export function usualTask(json: unknown): TaskFields | undefined {
  const t = lowered(json);
  if (t instanceof NotUsual || typeof t.status !== 'string') return undefined;
  const output = t.outputdata;
  const r = got({
    id: text(t.id),
    taskid: text(t.taskid),
    status: t.status,
    details: strings(t.details),
    executionmessages: messages(t.executionmessages),
    outputdata: output === null || output === undefined ? output : plainRecord(output),
  });
  return r;
}

/** Add / Modify SIP Connection, as `siteWrite` reads it. */
export function usualSiteWrite(json: unknown): SiteWriteFields | undefined {
  const s = lowered(json);
  if (s instanceof NotUsual) return undefined;
  const r = got({
    customerguid: text(s.customerguid),
    siteguid: text(s.siteguid),
    sitelocationid: text(s.sitelocationid),
    id: text(s.id),
    executionmessages: messages(s.executionmessages),
  });
  if (!r || (r.siteguid ?? r.sitelocationid ?? r.id) === null) return undefined;
  return r;
}

/** A task id, as `jobId` reads it: a bare non-empty string, or an object's jobId/taskId/id. */
export function usualJobId(json: unknown): string | undefined {
  if (typeof json === 'string') return json.length >= 1 ? json : undefined;
  const j = lowered(json);
  if (j instanceof NotUsual) return undefined;
  const r = got({ jobid: text(j.jobid), taskid: text(j.taskid), id: text(j.id) });
  if (!r) return undefined;
  return r.jobid ?? r.taskid ?? r.id ?? undefined;
}

/** Create customer, as `createCustomer` reads it. */
export function usualCreateCustomer(json: unknown): CreateCustomerFields | undefined {
  const c = lowered(json);
  if (c instanceof NotUsual) return undefined;
  const r = got({
    customerguid: text(c.customerguid),
    umpcustomerguid: text(c.umpcustomerguid),
    id: text(c.id),
    customerid: text(c.customerid),
    shortname: text(c.shortname),
    sitelocationids: listOf(c.sitelocationids, (v) =>
      typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? v : NOT,
    ),
    deploymentstate: text(c.deploymentstate),
    errordetails: text(c.errordetails),
    progressdetails: text(c.progressdetails),
  });
  if (!r || (r.customerguid ?? r.umpcustomerguid ?? r.id) === null) return undefined;
  return r;
}
