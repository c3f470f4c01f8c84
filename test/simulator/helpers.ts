import { onTestFinished } from 'vitest';
import { createEssentialsCustomerExample, exampleJson } from '../support/vendor-examples.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

export interface Answer {
  status: number;
  headers: Headers;
  // Tests read answers loosely, as a client that has not parsed them yet would.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A tiny JSON client over 127.0.0.1 with the simulator's static token unless told otherwise. */
export function client(sim: RunningSimulator, token: string | null = 'demo-token') {
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    patch: (path: string, body?: unknown) => call('PATCH', path, body),
    call,
  };
}

/**
 * Starts a simulator on an OS-chosen port that is closed after the test. (Not a module-level afterEach:
 * unit files share one module cache, so such a hook would only be registered in the first file of a worker.)
 */
export async function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ port: 0, seed: 42, ...options });
  onTestFinished(() => sim.close());
  return sim;
}

/** Sends n list requests one after another and returns the statuses and Retry-After headers. */
export async function statuses(options: SimulatorOptions, n: number) {
  const sim = await start(options);
  const c = client(sim);
  const out: Array<{ status: number; retryAfter: string | null }> = [];
  for (let i = 0; i < n; i++) {
    const res = await c.get('/api/v3/customer');
    out.push({ status: res.status, retryAfter: res.headers.get('retry-after') });
  }
  return { out, counters: sim.snapshot().counters };
}

export const TRACE_ID = /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/;

/** A valid v2 create body with the given short name: the Create Essentials Customer example, renamed. */
export function essentialsBody(shortName: string, extra: Record<string, unknown> = {}) {
  return { ...exampleJson(createEssentialsCustomerExample), shortName, fullName: shortName, ...extra };
}

/** Get Task as the simulator answers it now: it must have left InProgress (its duration 0, or the clock moved past it). */
export async function finishedTask(c: ReturnType<typeof client>, id: string): Promise<Answer> {
  const answer = await c.get(`/api/v2/task/${id}`);
  if (answer.status === 200 && answer.body.status === 'InProgress')
    throw new Error(`task ${id} is still InProgress: move the simulator's clock past its duration first`);
  return answer;
}
