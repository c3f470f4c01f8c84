import { isObject, pick, type JsonObject } from './body.js';
import { Checker, type FieldErrors } from './checker.js';
import type { Knobs } from './options.js';
import {
  checkEmail,
  checkShortName,
  readOvocCustomerType,
  readModifyFields,
  readSbcConfigurationType,
  readScriptParameters,
  readSiteBasics,
  type SiteChange,
} from './rules.js';
import { applySiteChange } from './site-change.js';
import {
  findService,
  findServiceByShortName,
  findSite,
  increment,
  newSite,
  type PendingService,
  type SimState,
  type StoredService,
  type StoredSite,
} from './state.js';
import { serviceView, siteView, taskView } from './views.js';

/** The simulated Live Platform's endpoints as plain functions of state: no HTTP here. */

export interface Context {
  state: SimState;
  knobs: Knobs;
  now: number;
  newId(): string;
}

export interface ApiRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** An answer; `problem` answers become problem JSON. `committed` marks a write that changed state. */
export type Reply =
  | { status: 200; body: unknown; committed?: boolean }
  | { status: 400 | 404; problem: { detail?: string; errors?: FieldErrors } };

/** A 400 naming each field as sent, in `errors` and in one sentence for a person reading `detail`. */
const invalid = (errors: FieldErrors): Reply => ({
  status: 400,
  problem: {
    detail: Object.entries(errors)
      .map(([field, rules]) => `${field} ${rules.join(' and ')}`)
      .join('; '),
    errors,
  },
});
const notFound = (detail: string): Reply => ({ status: 404, problem: { detail } });

const notAnObject = (): Reply => invalid({ $: ['The request body must be a JSON object.'] });

/** `POST /api/v2/customer`: Create Essentials Customer / Create Hosted Essentials Service (synchronous). */
export function createCustomer(ctx: Context, req: ApiRequest): Reply {
  const body = req.body;
  if (!isObject(body)) return notAnObject();
  const check = new Checker();
  const short = readShortName(ctx, check, body, 'shortName');
  const shortName = short?.value ?? null;
  // v2 is synchronous: a duplicate is refused here (v3 finds it when its task runs).
  if (short && findServiceByShortName(ctx.state, short.value)) {
    check.fail(short.at, 'must be unique: a service with this short name already exists');
  }
  const fullName = check.string(body, undefined, ['fullName'])?.value ?? null;
  const change: SiteChange = {};
  const siteLocation = check.object(body, undefined, ['siteLocation'], { required: true });
  if (siteLocation) {
    for (const [name, field] of [
      ['sbcId', 'sbcId'],
      ['sbcOnboardingScript', 'onboardingScript'],
      ['sbcCleanupScript', 'cleanupScript'],
    ] as const) {
      const value = check.integer(siteLocation.value, siteLocation.at, [name], { required: true });
      if (value) change[field] = value.value;
    }
  }
  readServiceSiteFields(ctx, check, body, change);
  const service = customerFields(check, body);
  if (!check.ok || shortName === null) return invalid(check.errors);

  const customerGuid = ctx.newId();
  const site = newSite(customerGuid, shortName);
  // "SbcConfigurationType … This value is currently not supported.": the new site's type is Unknown.
  site.sbcConfigurationType = 0;
  applySiteChange(site, change);
  ctx.state.services.push({
    ...service,
    customerGuid,
    shortName,
    fullName,
    licenseType: 2,
    sites: [site],
  });
  increment(ctx.state.counters.creates, shortName);
  return {
    status: 200,
    committed: true,
    body: {
      id: customerGuid,
      customerId: shortName,
      siteLocationIds: [customerGuid],
      deploymentState: 'Deployed',
      errorDetails: null,
      progressDetails:
        `(Information, MsTenantid is valid);(Information, Customer data created!);` +
        `(Information, SBC sbc-onboarding done for site ${shortName}.);(Information, Site created in Ovoc)`,
    },
  };
}

/** The short name of a create, checked against the documented rules; counts the attempt. */
function readShortName(ctx: Context, check: Checker, body: JsonObject, name: string) {
  const short = check.string(body, undefined, [name], { required: true });
  if (!short || short.value === null) return undefined;
  increment(ctx.state.counters.createAttempts, short.value);
  checkShortName(check, short.at, short.value);
  return { at: short.at, value: short.value };
}

/** The primary site's fields that both create endpoints take at the top level of the body. */
function readServiceSiteFields(ctx: Context, check: Checker, body: JsonObject, change: SiteChange): void {
  const ovoc = readOvocCustomerType(check, body);
  if (ovoc !== undefined) change.ovocCustomerType = ovoc;
  const configurationType = ctx.knobs.configurationTypeOnCreate
    ? readSbcConfigurationType(check, body)
    : undefined;
  if (configurationType !== undefined) change.sbcConfigurationType = configurationType;
  readScriptParameters(check, body, change);
}

/** Customer-level fields both create endpoints accept (not readable back, but stored). */
function customerFields(check: Checker, body: JsonObject) {
  return {
    msTenantId: check.string(body, undefined, ['msTenantId'])?.value ?? null,
    channelId: check.text(body, undefined, ['channelId']) ?? null,
    lcCustomerId: check.text(body, undefined, ['lcCustomerId']) ?? null,
    licensedUsersCount: null as number | null,
    configurationName: null as string | null,
    leadId: null as string | null,
    invitationEmail: null as string | null,
    teamsQos: null as StoredService['teamsQos'],
    callingProfileConfigurationTemplateId: null as number | null,
  };
}

/** `POST /api/v3/customer`: Create OC Essentials Service from Lead; answers a job id, the task does the work. */
export function createOcService(ctx: Context, req: ApiRequest): Reply {
  const body = req.body;
  if (!isObject(body)) return notAnObject();
  const check = new Checker();
  const shortName = readShortName(ctx, check, body, 'customerShortName')?.value ?? null;
  const service = customerFields(check, body);
  service.configurationName = check.string(body, undefined, ['configurationName'])?.value ?? null;
  service.leadId = check.text(body, undefined, ['leadId']) ?? null;
  const email = check.string(body, undefined, ['invitationEmail']);
  if (email?.value) checkEmail(check, email.at, email.value);
  service.invitationEmail = email?.value ?? null;
  check.integer(body, undefined, ['licenseType'], { min: 3, max: 3, message: 'must be 3 (OC Essentials)' });
  service.licensedUsersCount =
    check.integer(body, undefined, ['licensedUsersCount'], { min: 0 })?.value ?? null;
  service.callingProfileConfigurationTemplateId =
    check.integer(body, undefined, ['CallingProfileConfigurationTemplateId'])?.value ?? null;
  const qos = check.object(body, undefined, ['teamsQos']);
  if (qos) {
    service.teamsQos = {
      applicationID: check.string(qos.value, qos.at, ['applicationID'])?.value ?? null,
      applicationPassword: check.string(qos.value, qos.at, ['applicationPassword'])?.value ?? null,
    };
  }
  // The page's example body has no siteLocation: the primary site then takes the short name.
  const siteLocation = check.object(body, undefined, ['siteLocation']);
  let change: SiteChange = {};
  let siteName: string | null = null;
  if (siteLocation) {
    change = readSiteBasics(check, siteLocation.value, siteLocation.at, {
      configurationType: ctx.knobs.configurationTypeOnCreate,
    });
    siteName =
      check.string(siteLocation.value, siteLocation.at, ['siteLocationName'], { nonBlank: true })?.value ??
      null;
    const upload = check.integer(siteLocation.value, siteLocation.at, ['sbcOcUploadNumberScript']);
    if (upload) change.ocUploadNumberScript = upload.value;
    const release = check.integer(siteLocation.value, siteLocation.at, ['sbcOcReleaseNumberScript']);
    if (release) change.ocReleaseNumberScript = release.value;
  }
  readServiceSiteFields(ctx, check, body, change);
  const fullName = check.string(body, undefined, ['customerFullName', 'CustomerFulName'])?.value ?? null;
  if (!check.ok || shortName === null) return invalid(check.errors);

  // The site id is the customer GUID, given when the task completes.
  const site = newSite('', siteName ?? shortName);
  applySiteChange(site, change);
  const pending: PendingService = { ...service, shortName, fullName, licenseType: 3, sites: [site] };
  const id = `wst_${ctx.newId()}`;
  ctx.state.tasks.push({
    id,
    status: 'InProgress',
    dueAt: ctx.now + ctx.knobs.taskDurationMs,
    service: pending,
    customerGuid: null,
    failure: null,
  });
  return { status: 200, committed: true, body: { jobId: id } };
}

/** Completes every v3 task that is due; true when anything changed. A duplicate short name fails the task. */
export function settleTasks(ctx: Context): boolean {
  const due = ctx.state.tasks
    .filter((t) => t.status === 'InProgress' && t.dueAt <= ctx.now)
    .sort((a, b) => a.dueAt - b.dueAt);
  for (const task of due) {
    const { shortName } = task.service;
    if (findServiceByShortName(ctx.state, shortName)) {
      task.status = 'CompletedFailure';
      task.failure = `Customer short name '${shortName}' already exists.`;
      continue;
    }
    const customerGuid = ctx.newId();
    ctx.state.services.push({
      ...structuredClone(task.service),
      customerGuid,
      sites: task.service.sites.map((s) => ({ ...structuredClone(s), id: customerGuid })),
    });
    increment(ctx.state.counters.creates, shortName);
    task.status = 'CompletedSuccess';
    task.customerGuid = customerGuid;
  }
  return due.length > 0;
}

/** `GET /api/v2/task/{id}`. */
export function getTask(ctx: Context, req: ApiRequest): Reply {
  const id = req.params.id ?? '';
  const task = ctx.state.tasks.find((t) => t.id.toLowerCase() === id.toLowerCase());
  return task ? { status: 200, body: taskView(task) } : notFound(`Task ${id} was not found.`);
}

function markPending(ctx: Context, site: StoredSite, type: 'AddSite' | 'ModifySite'): void {
  if (ctx.knobs.pendingTaskMs <= 0) {
    site.pendingUntil = null;
    site.pendingTask = null;
    return;
  }
  site.pendingUntil = ctx.now + ctx.knobs.pendingTaskMs;
  site.pendingTask = { id: ctx.newId(), type, status: 'InProgress' };
}

function nameTaken(service: StoredService, name: string, except?: StoredSite): boolean {
  const wanted = name.toLowerCase();
  return service.sites.some((s) => s !== except && s.name.toLowerCase() === wanted);
}

/** `POST /api/v2/customer/{customerGuid}/sitelocation/`: Add SIP Connection. */
export function addSite(ctx: Context, req: ApiRequest): Reply {
  const customerGuid = req.params.customerGuid ?? '';
  const service = findService(ctx.state, customerGuid);
  if (!service) return notFound(`Customer ${customerGuid} was not found.`);
  const body = req.body;
  if (!isObject(body)) return notAnObject();
  const check = new Checker();
  const name = check.string(body, undefined, ['siteLocationName'], { required: true });
  const change = readSiteBasics(check, body, undefined, {
    configurationType: ctx.knobs.configurationTypeOnCreate,
  });
  readScriptParameters(check, body, change);
  if (name?.value && nameTaken(service, name.value)) {
    check.fail(name.at, 'must be unique within the customer: a SIP connection with this name already exists');
  }
  if (!check.ok || !name?.value) return invalid(check.errors);

  const site = newSite(ctx.newId(), name.value);
  applySiteChange(site, change);
  markPending(ctx, site, 'AddSite');
  service.sites.push(site);
  increment(ctx.state.counters.siteAdds, `${service.shortName}/${site.name}`);
  return {
    status: 200,
    committed: true,
    body: {
      customerGuid: service.customerGuid,
      siteGuid: site.id,
      executionMessages: [
        'Checking SBC IP Group Programming.',
        'SBC not programmed yet.',
        'Starting SBC Programming.',
        'Sbc is programmed',
        'Site location information saved.',
      ].map((message) => ({ level: 'Information', message })),
    },
  };
}

/**
 * Validates a Modify SIP Connection body against one site and applies it (a merge).
 * Shared by the API's PATCH and the portal change of `/_sim/sites/{id}`.
 */
export function modifySiteFields(service: StoredService, site: StoredSite, body: unknown): Reply | null {
  if (!isObject(body)) return notAnObject();
  const obj: JsonObject = body;
  const check = new Checker();
  const change = readModifyFields(check, obj);
  if (change.name !== undefined && nameTaken(service, change.name, site)) {
    const key = pick(obj, 'sbcSiteName', 'siteLocationName')?.key ?? 'sbcSiteName';
    check.fail(key, 'must be unique within the customer: a SIP connection with this name already exists');
  }
  if (!check.ok) return invalid(check.errors);
  applySiteChange(site, change);
  return null;
}

/** `PATCH /api/v2/customer/{customerGuid}/sitelocation/?sbcSiteGuid=…` (or `/sitelocation/{siteGuid}`). */
export function modifySite(ctx: Context, req: ApiRequest): Reply {
  const customerGuid = req.params.customerGuid ?? '';
  // The page lists sbcSiteGuid as a request parameter; a client that puts it in the body is understood too.
  const inBody = isObject(req.body) ? pick(req.body, 'sbcSiteGuid')?.value : undefined;
  const siteGuid =
    req.params.siteGuid ??
    queryParam(req.query, 'sbcSiteGuid') ??
    (typeof inBody === 'string' && inBody !== '' ? inBody : undefined);
  if (!siteGuid) return invalid({ sbcSiteGuid: ['is required (query parameter or trailing path segment)'] });
  const service = findService(ctx.state, customerGuid);
  if (!service) return notFound(`Customer ${customerGuid} was not found.`);
  const site = service.sites.find((s) => s.id.toLowerCase() === siteGuid.toLowerCase());
  if (!site) return notFound(`SIP connection ${siteGuid} was not found for customer ${customerGuid}.`);
  const refused = modifySiteFields(service, site, req.body);
  if (refused) return refused;
  markPending(ctx, site, 'ModifySite');
  increment(ctx.state.counters.siteModifies, site.id);
  return {
    status: 200,
    committed: true,
    body: {
      customerGuid: service.customerGuid,
      siteGuid: site.id,
      executionMessages: [
        'Skipping SBC CheckIpGroupProgramming.',
        'Starting SBC Programming.',
        'Sbc is programmed',
        'Site location information saved.',
      ].map((message) => ({ level: 'Information', message })),
    },
  };
}

function queryParam(query: URLSearchParams, name: string): string | undefined {
  for (const [key, value] of query) if (key.toLowerCase() === name.toLowerCase() && value) return value;
  return undefined;
}

function allDetails(query: URLSearchParams): boolean {
  return queryParam(query, 'allDetails')?.toLowerCase() === 'true';
}

/** `GET /api/v3/customer?allDetails=`: only services that exist (a v3 service once its task succeeded). */
export function listServices(ctx: Context, req: ApiRequest): Reply {
  const details = allDetails(req.query);
  return { status: 200, body: ctx.state.services.map((s) => serviceView(s, details)) };
}

/** `GET /api/v3/customer/{guid}?allDetails=`. */
export function getService(ctx: Context, req: ApiRequest): Reply {
  const guid = req.params.customerGuid ?? '';
  const service = findService(ctx.state, guid);
  return service
    ? { status: 200, body: serviceView(service, allDetails(req.query)) }
    : notFound(`Service ${guid} was not found.`);
}

/** `GET /api/v2/sitelocation/{id}`: Get SIP Connection. */
export function getSite(ctx: Context, req: ApiRequest): Reply {
  const id = req.params.siteId ?? '';
  const found = findSite(ctx.state, id);
  return found
    ? { status: 200, body: siteView(found.service, found.site, ctx.now) }
    : notFound(`SIP connection ${id} was not found.`);
}
