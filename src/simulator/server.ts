import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCore, type Core, type SimulatorSnapshot } from './core.js';
import { router, type Answer, type Handler } from './endpoints.js';
import type { Knobs, SimulatorOptions } from './options.js';
import { problem } from './problem.js';
import { kindOfPath, type Match, type RouteKind } from './routes.js';
import { increment } from './state.js';

export type { SimulatorSnapshot } from './core.js';

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:41234 (no trailing slash); the API is served under `${url}/tenantui` (and, unless `tenantuiOnly`, here too). */
  url: string;
  port: number;
  /** The seed in use (chosen at random when none was given), to reproduce a run. */
  seed: number;
  close(): Promise<void>;
  /** Same JSON as `GET /_sim/state`. */
  snapshot(): SimulatorSnapshot;
  /** Forgets every service, task and counter (issued tokens stay valid); the fault sequence starts over. */
  reset(): void;
  /** Changes latency/fault/task knobs at run time; throws `SimulatorOptionsError` on an invalid or unknown one. */
  setFaults(partial: Partial<SimulatorOptions>): void;
  /** Every bearer token the token endpoint has issued (not in the snapshot: `/_sim/state` does not hand tokens out). */
  issuedTokens(): string[];
  /** Every POST and PATCH that reached /api, in order (as sent: method, path with query, body), for tests. */
  writesReceived(): WriteReceived[];
}

export interface WriteReceived {
  method: string;
  path: string;
  body: unknown;
  /** When it arrived (ms since the epoch, the simulator's clock): tests order writes against events. */
  at: number;
  /** The bearer token it carried: tests tell two clients apart by the token each was given. */
  token: string | null;
}

/** What goes on the wire: JSON, problem JSON, or nothing at all (the socket is destroyed). */
type Output = { status: number; json: unknown; problem: boolean; headers?: Record<string, string> } | 'drop';

const MAX_BODY_BYTES = 1024 * 1024;

/** Starts the simulated Live Platform on `host:port` (port 0 = chosen by the OS). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const core = createCore(options);
  const writes: WriteReceived[] = [];
  const server = createServer((req, res) => {
    handle(core, req, res, writes).catch((error: unknown) => {
      // A bug in the simulator answers 500 like the platform would, instead of hanging the client.
      if (!res.headersSent && !res.destroyed) {
        send(res, {
          status: 500,
          json: problem(500, core.trace(), { detail: String(error) }),
          problem: true,
        });
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
    setFaults: (partial) => void core.setFaults(partial),
    issuedTokens: () => core.auth.issuedTokens(),
    writesReceived: () => [...writes],
  };
}

async function handle(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
  writes: WriteReceived[],
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://simulator');
  const rawBody = await readBody(req);
  const match = routeOf(core, method, url.pathname);
  const kind = match.found ? match.route.kind : kindOfPath(url.pathname);
  if (kind !== 'sim') {
    const route = match.found ? match.route.pattern : '(unknown route)';
    increment(core.state().counters.requests, `${method} ${route}`);
  }
  if (kind === 'api' && (method === 'POST' || method === 'PATCH'))
    writes.push({
      method,
      path: url.pathname.replace(/^\/tenantui/, '') + url.search,
      body: parseOrText(rawBody),
      at: Date.now(),
      token: /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null,
    });
  const output =
    rawBody === null
      ? { status: 413, json: problem(413, core.trace()), problem: true }
      : await withinCapacity(core, kind, () =>
          respond(core, { url, kind, match, headers: req.headers, rawBody }),
        );
  // Counters change on every counted request, so the file is written after each (reading /_sim/state excepted).
  if (kind !== 'sim' || method !== 'GET') core.persist();
  if (output === 'drop') res.socket?.destroy();
  else send(res, output);
}

const UNDER_TENANTUI = /^\/tenantui(\/|$)/i;

/** The route of a request; with `tenantuiOnly`, the API outside `/tenantui` is not found, as on the platform. */
function routeOf(core: Core, method: string, path: string): Match<Handler> {
  const match = router.match(method, path);
  if (!core.options.tenantuiOnly || !match.found || match.route.kind !== 'api' || UNDER_TENANTUI.test(path))
    return match;
  return { found: false, status: 404, allow: [] };
}

/** An /api request waits for a place while the platform is busy (or not, per the knob), and is answered 429 when it is full. */
async function withinCapacity(core: Core, kind: RouteKind, respond: () => Promise<Output>): Promise<Output> {
  if (kind !== 'api') return respond();
  const release = await core.capacity().admit(core.capacityNow(), core.knobs().capacityThrottle);
  if (release === null) {
    core.state().counters.faults.capacity += 1;
    const headers = { 'Retry-After': retryAfter(core.knobs().throttle) };
    return { status: 429, json: problem(429, core.trace()), problem: true, headers };
  }
  try {
    return await respond();
  } finally {
    release();
  }
}

interface Request {
  url: URL;
  kind: RouteKind;
  match: Match<Handler>;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

/** Latency and injected faults first (/api only), then routing, auth, the handler, and the dropped answer. */
async function respond(core: Core, req: Request): Promise<Output> {
  const trace = () => core.trace();
  let dropAfterCommit = false;
  let afterHandling: 504 | null = null;
  if (req.kind === 'api') {
    const decision = core.faults().decide(core.knobs());
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.inject) {
      core.state().counters.faults[decision.inject] += 1;
      const headers: Record<string, string> =
        decision.inject === 429 ? { 'Retry-After': retryAfter(core.knobs().throttle) } : {};
      const json = decision.inject === 502 ? gatewayProblem(502, trace()) : problem(decision.inject, trace());
      return { status: decision.inject, json, problem: decision.inject !== 502, headers };
    }
    dropAfterCommit = decision.dropAfterCommit;
    afterHandling = decision.afterHandling;
  }
  const { match } = req;
  if (!match.found) {
    const headers: Record<string, string> = match.status === 405 ? { Allow: match.allow.join(', ') } : {};
    return { status: match.status, json: problem(match.status, trace()), problem: true, headers };
  }
  if (req.kind === 'api' && !core.auth.accepts(req.headers.authorization, core.now())) {
    const json = problem(401, trace(), { detail: 'Send a valid access token in the Authorization header.' });
    return { status: 401, json, problem: true, headers: { 'WWW-Authenticate': 'Bearer' } };
  }
  // Tasks due by now complete before anyone looks (after the latency, as on the platform).
  core.settle();
  const answer: Answer = match.route.handler(core, {
    query: req.url.searchParams,
    params: match.params,
    headers: req.headers,
    rawBody: req.rawBody,
  });
  if (afterHandling !== null) {
    // The gateway gave up waiting: whatever the handler did (a write is committed) stays done.
    core.state().counters.faults[afterHandling] += 1;
    return { status: afterHandling, json: gatewayProblem(afterHandling, trace()), problem: false };
  }
  if ('problem' in answer) {
    return { status: answer.status, json: problem(answer.status, trace(), answer.problem), problem: true };
  }
  if ('json' in answer)
    return {
      status: answer.status,
      json: answer.json,
      problem: false,
      ...(answer.headers ? { headers: answer.headers } : {}),
    };
  if (answer.committed && dropAfterCommit) {
    // The nasty case: the write is committed (and persisted by the caller), the answer never arrives.
    core.state().counters.faults.drop += 1;
    return 'drop';
  }
  return { status: answer.status, json: answer.body, problem: false };
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

function send(res: ServerResponse, output: Exclude<Output, 'drop'>): void {
  const text = JSON.stringify(output.json);
  res.writeHead(output.status, {
    'Content-Type': output.problem
      ? 'application/problem+json; charset=utf-8'
      : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...output.headers,
  });
  res.end(text);
}

/** `Retry-After` as delta-seconds, or as the HTTP date that far ahead (both are allowed by RFC 9110). */
function retryAfter(throttle: Knobs['throttle']): string {
  if (!throttle.retryAfterAsDate) return String(throttle.retryAfterSeconds);
  // HTTP dates have whole seconds: round up so that the wait is never shorter than asked.
  return new Date(Math.ceil(Date.now() / 1000) * 1000 + throttle.retryAfterSeconds * 1000).toUTCString();
}

/** What a gateway in front of the platform answers: not the platform's problem JSON, just a short error. */
function gatewayProblem(status: 502 | 504, trace: string): unknown {
  return { error: status === 502 ? 'Bad Gateway' : 'Gateway Timeout', status, requestId: trace };
}

function parseOrText(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
