/**
 * The console in this process (src/web through its index, as `lpsync serve` starts it) against a real
 * simulator, and a plain HTTP client that sends what a browser would: the cookie, the Host, the CSRF token.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { hostname } from 'node:os';
import { createRedactor, type Redactor } from '../../src/model/redact.js';
import { silentLog, type Log, type LogFields } from '../../src/model/log.js';
import { resolveConnection } from '../../src/cli/connection.js';
import { startConsole, type ConsoleOptions, type RunningConsole } from '../../src/web/index.js';

export interface TestConsole {
  console: RunningConsole;
  redactor: Redactor;
  port: number;
  close(): Promise<void>;
}

export async function startTestConsole(o: {
  baseUrl: string;
  statePath: string;
  reportsDir: string;
  maxUploadBytes?: number;
  tempDir?: string;
  /** LPSYNC_* settings (default the simulator's demo token). */
  env?: NodeJS.ProcessEnv;
  log?: Log;
  /** Accounts, approval, TLS, a proxy, the clock and idle time: as `serve` passes them. */
  team?: Pick<
    ConsoleOptions,
    'accounts' | 'requireApproval' | 'tls' | 'behindTlsProxy' | 'publicUrl' | 'now' | 'idleMs'
  >;
}): Promise<TestConsole> {
  const redactor = createRedactor();
  const connection = resolveConnection(
    { 'base-url': o.baseUrl, baseUrl: o.baseUrl, retries: 6 },
    o.env ?? { LPSYNC_TOKEN: 'demo-token' },
  );
  const running = await startConsole({
    host: '127.0.0.1',
    port: 0,
    maxUploadBytes: o.maxUploadBytes ?? 50 << 20,
    connection,
    platform: redactor.text(o.baseUrl),
    statePath: o.statePath,
    reportsDir: o.reportsDir,
    redactor,
    log: o.log ?? silentLog,
    lpsyncVersion: '0.0.0-test',
    program: 'lpsync',
    paper: 'A4',
    pid: process.pid,
    hostName: hostname(),
    invocation: { user: 'tester', host: hostname(), pid: process.pid, commandLine: ['lpsync', 'serve'] },
    ...(o.tempDir ? { tempDir: o.tempDir } : {}),
    ...o.team,
  });
  return {
    console: running,
    redactor,
    // The port bound (the printed origin may be a proxy's public address).
    port: (running.app.server.address() as { port: number }).port,
    close: () => running.close(),
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** Every line a console logged: its level, message and fields. */
export function collectingLog(): Log & {
  lines: Array<{ level: string; message: string; fields: LogFields }>;
} {
  const lines: Array<{ level: string; message: string; fields: LogFields }> = [];
  const at =
    (level: string) =>
    (message: string, fields: LogFields = {}) =>
      lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * One HTTP request exactly as given (node:http lets the test set Host and Origin as any browser could);
 * over TLS with `ca` (the test's own certificate), from `localAddress` when given (another loopback address).
 */
export function send(
  port: number,
  path: string,
  o: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    ca?: Buffer;
    /** The name the certificate must carry (default localhost). */
    servername?: string;
    localAddress?: string;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = o.ca ? httpsRequest : httpRequest;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: o.method ?? 'GET',
        headers: { Host: `127.0.0.1:${port}`, ...o.headers },
        ...(o.ca ? { ca: o.ca, servername: o.servername ?? 'localhost' } : {}),
        ...(o.localAddress ? { localAddress: o.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

/** A browser's session: the token visited once, then its cookie and the page's CSRF token on each request. */
export class Visitor {
  cookie = '';
  csrf = '';
  /** Every answer this visitor received, for the secrets search. */
  readonly answers: Array<{ path: string; answer: Answer }> = [];

  constructor(
    readonly port: number,
    readonly url: string,
  ) {}

  async signIn(): Promise<Answer> {
    const u = new URL(this.url);
    const answer = await send(this.port, `${u.pathname}${u.search}`);
    const set = answer.headers['set-cookie'];
    this.cookie = (Array.isArray(set) ? set[0]! : String(set)).split(';')[0]!;
    return answer;
  }

  /**
   * Signs in with accounts as the login form does: the page (its CSRF token and cookie), then the name and
   * password. The answer of the POST; on success the session cookie is this visitor's from then on.
   */
  async login(name: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
    const form = await send(this.port, '/login', { headers });
    this.answers.push({ path: '/login', answer: form });
    const loginCookie = cookieOf(form, 'lpsync_login');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    const answer = await send(this.port, '/login', {
      method: 'POST',
      headers: {
        Cookie: loginCookie,
        Origin: `http://127.0.0.1:${this.port}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      body: new URLSearchParams({ _csrf: token, name, password, next: '/' }).toString(),
    });
    this.answers.push({ path: '/login', answer });
    if (answer.status === 303) {
      this.cookie = cookieOf(answer, 'lpsync_session');
      await this.get(location(answer));
    }
    return answer;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    const answer = await send(this.port, path, { headers: { Cookie: this.cookie, ...headers } });
    this.keep(path, answer);
    return answer;
  }

  /** A form post with the session's CSRF token (unless `csrf: false`), from the console's own origin. */
  async post(
    path: string,
    fields: Record<string, string> = {},
    o: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const form = new URLSearchParams({ ...(o.csrf === false ? {} : { _csrf: this.csrf }), ...fields });
    const answer = await send(this.port, path, {
      method: 'POST',
      headers: {
        Cookie: this.cookie,
        Origin: `http://127.0.0.1:${this.port}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        ...o.headers,
      },
      body: form.toString(),
    });
    this.keep(path, answer);
    return answer;
  }

  /** A multipart upload as the form sends it: the CSRF field first, then the files by role. */
  async upload(files: Array<{ role: string; name: string; bytes: Buffer }>, o: { csrf?: boolean } = {}) {
    const boundary = `----lpsync${Date.now()}`;
    const parts: Buffer[] = [];
    if (o.csrf !== false)
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${this.csrf}\r\n`),
      );
    for (const f of files)
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${f.role}"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        f.bytes,
        Buffer.from('\r\n'),
      );
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const body = Buffer.concat(parts);
    const answer = await send(this.port, '/uploads', {
      method: 'POST',
      headers: {
        Cookie: this.cookie,
        Origin: `http://127.0.0.1:${this.port}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(body.length),
      },
      body,
    });
    this.keep('/uploads', answer);
    return answer;
  }

  private keep(path: string, answer: Answer): void {
    this.answers.push({ path, answer });
    const token = /name="_csrf" value="([^"]+)"/.exec(answer.text);
    if (token) this.csrf = token[1]!;
  }
}

/** `name=value` of the Set-Cookie header of that name, as the browser sends it back. */
export function cookieOf(answer: Answer, name: string): string {
  const set = answer.headers['set-cookie'];
  const found = (Array.isArray(set) ? set : [String(set)]).find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie (status ${answer.status})`);
  return found.split(';')[0]!;
}

/** The Location of a redirect. */
export function location(answer: Answer): string {
  const value = answer.headers.location;
  if (typeof value !== 'string')
    throw new Error(`no redirect (status ${answer.status}): ${answer.text.slice(0, 400)}`);
  return value;
}
