import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAuth } from './auth.js';
import { createFaults, type FaultDecision } from './faults.js';
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
  settleTasks,
  type ApiRequest,
  type Context,
  type Reply,
} from './platform.js';
import { problem } from './problem.js';
import { traceId } from './problem.js';
import {
  applyKnobChange,
  normaliseOptions,
  SimulatorOptionsError,
  type Knobs,
  type SimulatorOptions,
} from './options.js';
import { createStream, randomUuid, streamSeed, type RandomStream } from './random.js';
import { createRouter, type Route } from './routes.js';
import { emptyState, findSite, increment, type SimState } from './state.js';
import { loadState, saveState } from './store.js';
import { siteView } from './views.js';

/** Same JSON as `GET /_sim/state`: counters, every stored service in full, and the v3 tasks. */
export interface SimulatorSnapshot {
  counters: SimState['counters'];
  services: SimState['services'];
  tasks: SimState['tasks'];
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:41234 (no trailing slash); the API is also served under `${url}/tenantui`. */
  url: string;
  port: number;
  /** The seed in use (chosen at random when none was given), to reproduce a run. */
  seed: number;
  close(): Promise<void>;
  snapshot(): SimulatorSnapshot;
  /** Forgets every service, task and counter (tokens stay valid); the seeded streams start over. */
  reset(): void;
  /** Changes latency/fault/task knobs at run time; throws on an invalid value. */
  setFaults(partial: Partial<SimulatorOptions>): void;
}

interface Incoming {
  method: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

type Handler = (sim: Core, req: Incoming) => Reply | HttpAnswer;

/** An answer that is not a platform reply (token endpoint, test endpoints, injected faults). */
interface HttpAnswer {
  http: true;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Starts the simulated Live Platform on `host:port` (port 0 = chosen by the OS). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const core = createCore(options);
  const server = createServer((req, res) => {
    core.handle(req, res).catch((error: unknown) => {
      // A bug in the simulator answers 500 like the platform would, instead of hanging the client.
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, problem(500, core.trace(), { detail: String(error) }), {}, true);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(core.options.port, core.options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = core.options.host.includes(':') ? `[${core.options.host}]` : core.options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    seed: core.options.seed,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    snapshot: () => core.snapshot(),
    reset: () => core.reset(),
    setFaults: (partial) => core.setFaults(partial),
  };
}

type Core = ReturnType<typeof createCore>;

function createCore(input: SimulatorOptions) {
  const options = normaliseOptions(input);
  let knobs: Knobs = options.knobs;
  const loaded = options.stateFile ? loadState(options.stateFile) : undefined;
  let state: SimState = loaded?.state ?? emptyState();
  let ids: RandomStream = createStream(loaded?.idStreamState ?? streamSeed(options.seed, 'ids'));
  let traces: RandomStream = createStream(streamSeed(options.seed, 'traces'));
  let faults = createFaults(createStream(streamSeed(options.seed, 'faults')));
  const auth = createAuth(options.clients, options.staticTokens);

  const context = (): Context => ({ state, knobs, now: Date.now(), newId: () => randomUuid(ids) });

  const persist = (): void => {
    if (options.stateFile) saveState(options.stateFile, { version: 1, state, idStreamState: ids.state() });
  };

  const settle = (): void => {
    if (settleTasks(context())) persist();
  };

  const trace = (): string => traceId(traces);

  const core = {
    options,
    trace,
    snapshot(): SimulatorSnapshot {
      settle();
      return structuredClone({ counters: state.counters, services: state.services, tasks: state.tasks });
    },
    reset(): void {
      state = emptyState();
      ids = createStream(streamSeed(options.seed, 'ids'));
      traces = createStream(streamSeed(options.seed, 'traces'));
      faults = createFaults(createStream(streamSeed(options.seed, 'faults')));
      persist();
    },
    setFaults(partial: unknown): Knobs {
      knobs = applyKnobChange(knobs, partial);
      return knobs;
    },
    context,
    auth,
    persist,
    knobs: () => knobs,
    state: () => state,

    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const method = (req.method ?? 'GET').toUpperCase();
      const url = new URL(req.url ?? '/', 'http://simulator');
      const rawBody = await readBody(req);
      if (rawBody === null) {
        sendJson(res, 413, problem(413, trace()), {}, true);
        return;
      }
      const match = router.match(method, url.pathname);
      const kind = match.found ? match.route.kind : classify(url.pathname);
      if (kind !== 'sim') {
        increment(
          state.counters.requests,
          match.found ? `${method} ${match.route.pattern}` : `${method} (unknown route)`,
        );
      }
      settleTasks(context());

      let decision: FaultDecision | null = null;
      if (kind === 'api') {
        decision = faults.decide(knobs);
        if (decision.delayMs > 0) await sleep(decision.delayMs);
        if (decision.inject) {
          state.counters.faults[decision.inject] += 1;
          persist();
          const headers: Record<string, string> =
            decision.inject === 429 ? { 'Retry-After': String(knobs.throttle.retryAfterSeconds) } : {};
          sendJson(res, decision.inject, problem(decision.inject, trace()), headers, true);
          return;
        }
      }
      if (!match.found) {
        if (kind !== 'sim') persist();
        const headers: Record<string, string> = match.status === 405 ? { Allow: match.allow.join(', ') } : {};
        sendJson(res, match.status, problem(match.status, trace()), headers, true);
        return;
      }
      if (kind === 'api' && !auth.accepts(req.headers.authorization, Date.now())) {
        persist();
        sendJson(
          res,
          401,
          problem(401, trace(), { detail: 'A valid bearer token is required.' }),
          { 'WWW-Authenticate': 'Bearer' },
          true,
        );
        return;
      }
      const answer = match.route.handler(core, {
        method,
        query: url.searchParams,
        params: match.params,
        headers: req.headers,
        rawBody,
      });
      if (kind !== 'sim' || method !== 'GET') persist();
      if ('http' in answer) {
        sendJson(res, answer.status, answer.body, answer.headers ?? {}, false);
        return;
      }
      if (answer.status === 200 && answer.committed && decision?.dropAfterCommit) {
        // The nasty case: the write is committed (and persisted), the answer never arrives.
        state.counters.faults.drop += 1;
        persist();
        res.socket?.destroy();
        return;
      }
      if (answer.status === 200) sendJson(res, 200, answer.body, {}, false);
      else sendJson(res, answer.status, problem(answer.status, trace(), answer.problem), {}, true);
    },
  };
  return core;
}

/** A /api route answers through the platform functions, with the JSON body parsed. */
function api(fn: (ctx: Context, req: ApiRequest) => Reply): Handler {
  return (core, req) => {
    let body: unknown = undefined;
    if (req.rawBody.trim() !== '') {
      try {
        body = JSON.parse(req.rawBody);
      } catch {
        return { status: 400, problem: { errors: { $: ['The JSON value could not be parsed.'] } } };
      }
    }
    return fn(core.context(), { params: req.params, query: req.query, body });
  };
}

const tokenEndpoint: Handler = (core, req) => {
  const form = parseForm(req);
  const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
  let clientId = form.get('client_id') ?? '';
  let clientSecret = form.get('client_secret') ?? '';
  if (basic?.[1]) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    clientId = decodeURIComponent(id ?? '');
    clientSecret = decodeURIComponent(secret ?? '');
  }
  const oauthError = (status: number, error: string, description: string): HttpAnswer => ({
    http: true,
    status,
    body: { error, error_description: description },
  });
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError(
      400,
      'unsupported_grant_type',
      'AADSTS70003: The grant type must be client_credentials.',
    );
  }
  const now = Date.now();
  const issued = core.auth.issue(clientId, clientSecret, now, core.knobs().tokenLifetimeSeconds);
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
    http: true,
    status: 200,
    body: { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn },
  };
};

function parseForm(req: Incoming): URLSearchParams {
  if (String(req.headers['content-type'] ?? '').includes('json')) {
    try {
      const json = JSON.parse(req.rawBody) as Record<string, unknown>;
      return new URLSearchParams(Object.entries(json).map(([k, v]): [string, string] => [k, String(v)]));
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(req.rawBody);
}

const simState: Handler = (core) => ({ http: true, status: 200, body: core.snapshot() });

const simReset: Handler = (core) => {
  core.reset();
  return { http: true, status: 200, body: { reset: true } };
};

const simFaults: Handler = (core, req) => {
  try {
    const knobs = core.setFaults(req.rawBody.trim() === '' ? {} : JSON.parse(req.rawBody));
    return { http: true, status: 200, body: knobs };
  } catch (error) {
    const detail = error instanceof SimulatorOptionsError ? error.message : 'The body must be JSON.';
    return { http: true, status: 400, body: problem(400, core.trace(), { detail }) };
  }
};

const simExpireTokens: Handler = (core) => ({
  http: true,
  status: 200,
  body: { expired: core.auth.expireAll(Date.now()) },
});

/** A person changing the site in the portal: no API counters, no pending task. */
const simChangeSite: Handler = (core, req) => {
  const ctx = core.context();
  const found = findSite(ctx.state, req.params.siteId ?? '');
  if (!found) {
    return { status: 404, problem: { detail: `SIP connection ${req.params.siteId} was not found.` } };
  }
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody);
  } catch {
    return { status: 400, problem: { errors: { $: ['The JSON value could not be parsed.'] } } };
  }
  const refused = modifySiteFields(found.service, found.site, body);
  return refused ?? { status: 200, body: siteView(found.service, found.site, ctx.now) };
};

const routes: Array<Route<Handler>> = [
  { method: 'POST', pattern: '/oauth2/token', kind: 'token', handler: tokenEndpoint },
  { method: 'POST', pattern: '/oauth2/v2.0/token', kind: 'token', handler: tokenEndpoint },
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

const router = createRouter(routes);

/** Faults and auth apply to everything under /api, known route or not. */
function classify(pathname: string): Route<Handler>['kind'] {
  const p = pathname.replace(/^\/tenantui(?=\/|$)/i, '');
  if (/^\/api(\/|$)/i.test(p)) return 'api';
  if (/^\/_sim(\/|$)/i.test(p)) return 'sim';
  return 'token';
}

/** The body as text, or null when it is larger than the simulator accepts. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
  isProblem: boolean,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': isProblem ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
