import type { IncomingHttpHeaders } from 'node:http';
import type { Core } from './core.js';
import { SimulatorOptionsError } from './options.js';
import {
  addSite,
  createCustomer,
  createOcService,
  getService,
  getSite,
  getTask,
  listServices,
  modifySite,
  modifySiteFields,
  type ApiRequest,
  type Context,
  type Reply,
} from './platform.js';
import { createRouter, type Route } from './routes.js';
import { findSite } from './state.js';
import { siteView } from './views.js';

/** One parsed HTTP request as the endpoints see it. */
export interface Incoming {
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A platform `Reply`, or a plain JSON answer (token endpoint, test endpoints). */
export type Answer = Reply | { status: number; json: unknown; headers?: Record<string, string> };

export type Handler = (core: Core, req: Incoming) => Answer;

const unparsable: Reply = {
  status: 400,
  problem: { errors: { $: ['The JSON value could not be parsed.'] } },
};

/** The body as JSON (undefined when empty), or the 400 that says it is not JSON. */
function parseJson(raw: string): { body: unknown } | Reply {
  if (raw.trim() === '') return { body: undefined };
  for (const text of [raw, plainWhitespace(raw)]) {
    try {
      return { body: JSON.parse(text) as unknown };
    } catch {
      // tried again below with the page's non-breaking spaces made plain
    }
  }
  return unparsable;
}

// The vendor pages indent their example bodies with non-breaking spaces; people paste them as they are.
const UNICODE_SPACE = /[\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** The text with Unicode blanks outside string literals replaced by plain spaces (values stay as sent). */
function plainWhitespace(raw: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i] as string;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += raw[i + 1] ?? '';
        i += 1;
      } else if (ch === '"') inString = false;
    } else {
      if (ch === '"') inString = true;
      out += UNICODE_SPACE.test(ch) ? ' ' : ch;
    }
  }
  return out;
}

/** A /api route answers through the platform functions, with the JSON body parsed. */
function api(fn: (ctx: Context, req: ApiRequest) => Reply): Handler {
  return (core, req) => {
    const parsed = parseJson(req.rawBody);
    if ('status' in parsed) return parsed;
    return fn(core.context(), { params: req.params, query: req.query, body: parsed.body });
  };
}

/** `POST /oauth2/token`: OAuth 2.0 client credentials (form fields or HTTP Basic), answered like Azure AD. */
const issueToken: Handler = (core, req) => {
  const form = formFields(req);
  let clientId = form.get('client_id') ?? '';
  let clientSecret = form.get('client_secret') ?? '';
  const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
  if (basic?.[1]) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    clientId = decodeURIComponent(id ?? '');
    clientSecret = decodeURIComponent(secret ?? '');
  }
  const oauthError = (status: number, error: string, description: string): Answer => ({
    status,
    json: { error, error_description: description },
  });
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError(
      400,
      'unsupported_grant_type',
      'AADSTS70003: The grant type must be client_credentials.',
    );
  }
  const issued = core.auth.issue(clientId, clientSecret, core.now(), core.knobs().tokenLifetimeSeconds);
  if (issued === 'unknown-client') {
    return oauthError(
      400,
      'unauthorized_client',
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`,
    );
  }
  if (issued === 'wrong-secret') {
    return oauthError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
  }
  core.state().counters.tokensIssued += 1;
  return {
    status: 200,
    json: { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn },
  };
};

function formFields(req: Incoming): URLSearchParams {
  if (!String(req.headers['content-type'] ?? '').includes('json')) return new URLSearchParams(req.rawBody);
  const parsed = parseJson(req.rawBody);
  if ('status' in parsed || parsed.body === null || typeof parsed.body !== 'object')
    return new URLSearchParams();
  return new URLSearchParams(Object.entries(parsed.body).map(([k, v]): [string, string] => [k, String(v)]));
}

const simState: Handler = (core) => ({ status: 200, json: core.snapshot() });

const simReset: Handler = (core) => {
  core.reset();
  return { status: 200, json: { reset: true } };
};

const simFaults: Handler = (core, req) => {
  const parsed = parseJson(req.rawBody);
  if ('status' in parsed) return parsed;
  try {
    return { status: 200, json: core.setFaults(parsed.body ?? {}) };
  } catch (error) {
    if (!(error instanceof SimulatorOptionsError)) throw error;
    return { status: 400, problem: { detail: error.message } };
  }
};

const simExpireTokens: Handler = (core) => ({
  status: 200,
  json: { expired: core.auth.expireAll(core.now()) },
});

/** A person changing the site in the portal: same body as Modify SIP Connection, no API counters, no pending task. */
const simChangeSite: Handler = (core, req) => {
  const ctx = core.context();
  const found = findSite(ctx.state, req.params.siteId ?? '');
  if (!found)
    return { status: 404, problem: { detail: `SIP connection ${req.params.siteId} was not found.` } };
  const parsed = parseJson(req.rawBody);
  if ('status' in parsed) return parsed;
  const refused = modifySiteFields(found.service, found.site, parsed.body);
  return refused ?? { status: 200, body: siteView(found.service, found.site, ctx.now) };
};

const routes: Array<Route<Handler>> = [
  { method: 'POST', pattern: '/oauth2/token', kind: 'token', handler: issueToken },
  { method: 'POST', pattern: '/oauth2/v2.0/token', kind: 'token', handler: issueToken },
  // Azure AD's own shape, https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token, pasted with another host.
  { method: 'POST', pattern: '/{tenant}/oauth2/token', kind: 'token', handler: issueToken },
  { method: 'POST', pattern: '/{tenant}/oauth2/v2.0/token', kind: 'token', handler: issueToken },
  { method: 'POST', pattern: '/api/v2/customer', kind: 'api', handler: api(createCustomer) },
  { method: 'POST', pattern: '/api/v3/customer', kind: 'api', handler: api(createOcService) },
  { method: 'GET', pattern: '/api/v3/customer', kind: 'api', handler: api(listServices) },
  { method: 'GET', pattern: '/api/v3/customer/{customerGuid}', kind: 'api', handler: api(getService) },
  { method: 'GET', pattern: '/api/v2/task/{id}', kind: 'api', handler: api(getTask) },
  {
    method: 'POST',
    pattern: '/api/v2/customer/{customerGuid}/sitelocation',
    kind: 'api',
    handler: api(addSite),
  },
  {
    method: 'PATCH',
    pattern: '/api/v2/customer/{customerGuid}/sitelocation',
    kind: 'api',
    handler: api(modifySite),
  },
  {
    method: 'PATCH',
    pattern: '/api/v2/customer/{customerGuid}/sitelocation/{siteGuid}',
    kind: 'api',
    handler: api(modifySite),
  },
  { method: 'GET', pattern: '/api/v2/sitelocation/{siteId}', kind: 'api', handler: api(getSite) },
  { method: 'GET', pattern: '/_sim/state', kind: 'sim', handler: simState },
  { method: 'POST', pattern: '/_sim/reset', kind: 'sim', handler: simReset },
  { method: 'POST', pattern: '/_sim/faults', kind: 'sim', handler: simFaults },
  { method: 'POST', pattern: '/_sim/expire-tokens', kind: 'sim', handler: simExpireTokens },
  { method: 'PATCH', pattern: '/_sim/sites/{siteId}', kind: 'sim', handler: simChangeSite },
];

export const router = createRouter(routes);
