/** The connection flags and help texts, declared apart from the code that resolves them: --help loads only this. */
import type { Options } from 'yargs';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_RESPONSE_MB,
  DEFAULT_TIMEOUT_MS,
} from '../model/defaults.js';

/** Flags shared by every command that connects; spread them into a command's builder. */
export const connectionOptions = {
  'base-url': {
    type: 'string',
    describe: 'Live Platform API base URL, e.g. https://lp.example.com/tenantui (or LPSYNC_BASE_URL)',
  },
  config: {
    type: 'string',
    describe:
      'JSON file with connection settings: baseUrl, token or tokenUrl/clientId/clientSecret/scope, caFile, …',
  },
  'ca-file': {
    type: 'string',
    describe: 'PEM file of the private CA that signed the Live Platform certificate',
  },
  insecure: {
    type: 'boolean',
    describe: 'Do not verify the TLS certificate (last resort; prefer --ca-file)',
  },
  timeout: {
    type: 'number',
    describe: 'Per-request timeout in seconds',
    defaultDescription: String(DEFAULT_TIMEOUT_MS / 1000),
  },
  'max-response-mb': {
    type: 'number',
    describe: 'The most of one answer lpsync reads, in MiB; a larger one is an error naming the request',
    defaultDescription: String(DEFAULT_MAX_RESPONSE_MB),
  },
  retries: {
    type: 'number',
    describe: 'Retries of a request that is safe to repeat (429, 502–504, network)',
    defaultDescription: '4',
  },
  concurrency: {
    type: 'string',
    describe:
      "Requests in flight at once: auto (start at 4, follow the platform's pace: grow while answers stay fast, halve on 429/503) or a number to pin it",
    defaultDescription: String(DEFAULT_CONCURRENCY),
  },
  'max-concurrency': {
    type: 'number',
    describe: 'The most requests in flight --concurrency auto ever allows',
    defaultDescription: String(DEFAULT_MAX_CONCURRENCY),
  },
  rate: { type: 'number', describe: 'At most this many requests per second (default: no cap)' },
  proxy: {
    type: 'string',
    describe:
      'Proxy for every request, e.g. http://proxy.example.com:8080 (default: HTTPS_PROXY / HTTP_PROXY; NO_PROXY honoured)',
  },
  'trace-http': {
    type: 'string',
    describe: 'Write every HTTP request and response of the run to this HAR file (secrets masked)',
  },
} satisfies { [name: string]: Options };

/** The help text's footer for plan, apply and reconcile: where the URL and the secrets go (yargs puts the program name for $0). */
export const CONNECTION_HELP =
  'Connection: set LPSYNC_BASE_URL (the provider host followed by /tenantui) and LPSYNC_TOKEN, or client ' +
  'credentials LPSYNC_TOKEN_URL, LPSYNC_CLIENT_ID, LPSYNC_CLIENT_SECRET (LPSYNC_SCOPE), or put them in a --config ' +
  'file; secrets are never taken from flags. Behind a proxy: HTTPS_PROXY / NO_PROXY, or --proxy.\n' +
  'To try lpsync without an account, start the simulator in another terminal and point lpsync at it:\n' +
  '  $0 simulate --port 8080\n' +
  '  export LPSYNC_BASE_URL=http://127.0.0.1:8080/tenantui LPSYNC_TOKEN=demo-token';

/** Exit codes of apply and reconcile, for their help text. */
export const EXIT_CODES_HELP =
  'Exit codes: 0 every row ok; 1 some row failed, is unknown, not run, invalid (--skip-invalid) or conflicts; ' +
  '2 invalid input or options, nothing sent; 3 fatal (auth refused, Live Platform unreachable, state store ' +
  'full, lock lost to another run); 4 another run holds ' +
  'the state store lock; 130 interrupted by Ctrl-C, 143 by SIGTERM (resume with --resume).';
