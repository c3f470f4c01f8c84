/** Shared pieces of the client tests: a run logger that writes into memory, and the vendor pages' bodies. */
import { createRunLogger, type RunLogger } from '../../src/cli/logging.js';
import { createLivePlatformClient, type AuthSettings, type ClientOptions } from '../../src/api/index.js';
import type {
  AddSiteBody,
  CreateCustomerBody,
  CreateOcServiceBody,
  ModifySiteBody,
} from '../../src/api/types.js';
import { createRedactor, type Redactor } from '../../src/model/redact.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import {
  addSipConnectionExample,
  createEssentialsCustomerExample,
  exampleJson,
  modifySipConnectionExample,
} from '../support/vendor-examples.js';

export interface MemoryLog {
  logger: RunLogger;
  lines: string[];
  text(): string;
  /** Calls `fn` for every line written from now on (to change simulator faults at a precise moment). */
  onLine(fn: (line: string) => void): void;
}

const maskingNothing: Redactor = { value: (v) => v, text: (t) => t, addSecrets: () => undefined };

/** A debug-level JSON logger into an array: what a log file would hold. */
export function memoryLog(): MemoryLog {
  const lines: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  const console = {
    write(line: string) {
      lines.push(line);
      for (const fn of listeners) fn(line);
    },
  };
  // The run's JSON lines into memory, masked by nothing: a secret here is one the client itself let through.
  const logger = createRunLogger({
    verbose: true,
    human: false,
    redactor: maskingNothing,
    console,
  });
  return { logger, lines, text: () => lines.join(''), onLine: (fn) => listeners.push(fn) };
}

/** A client for the simulator with small, fast retry settings unless overridden. */
export function clientFor(
  sim: RunningSimulator,
  overrides: Partial<ClientOptions> = {},
): { client: ReturnType<typeof createLivePlatformClient>; log: MemoryLog } {
  const log = memoryLog();
  const client = createLivePlatformClient({
    baseUrl: `${sim.url}/tenantui`,
    auth: { kind: 'token', token: 'demo-token' },
    logger: log.logger,
    redactor: createRedactor(),
    timeoutMs: 5_000,
    retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 50 },
    task: { pollIntervalMs: 20, maxPollIntervalMs: 100, timeoutMs: 10_000 },
    ...overrides,
  });
  return { client, log };
}

export const clientCredentials = (
  sim: RunningSimulator,
  secret = 'demo-secret',
): Extract<AuthSettings, { kind: 'client-credentials' }> => ({
  kind: 'client-credentials',
  tokenUrl: `${sim.url}/oauth2/token`,
  clientId: 'lpsync-demo',
  clientSecret: secret,
  scope: 'api://lp/.default',
});

/** Create Essentials Customer, the page's example body (short name varied per test). */
export function customerBody(shortName: string): CreateCustomerBody {
  return {
    ...exampleJson<CreateCustomerBody>(createEssentialsCustomerExample),
    shortName,
    fullName: shortName,
  };
}

/** Add SIP Connection, the page's example body, `OvocCustomerType` and misspelt `CarierMailLine` included. */
export function addSiteBody(name = 'DR94Site2', password = 'Site2#%00500'): AddSiteBody {
  const example = exampleJson<AddSiteBody>(addSipConnectionExample);
  return {
    ...example,
    siteLocationName: name,
    scriptParameters: { ...example.scriptParameters, CarrierUserPassword: password },
  };
}

/** Modify SIP Connection, the page's example body (plus `sbcSiteName`, the parameter table's name field). */
export function modifySiteBody(name: string, password = '12345678', dpi?: string): ModifySiteBody {
  const example = exampleJson<ModifySiteBody>(modifySipConnectionExample);
  return {
    ...example,
    siteLocationName: name,
    sbcSiteName: name,
    ...(dpi === undefined ? {} : { carrierPasswordDPI: dpi }),
    scriptParameters: { ...example.scriptParameters, CarrierUserPassword: password },
  };
}

/** Create OC Essentials Service from Lead, after the page's example. */
export function ocBody(shortName: string, applicationPassword = 'teams-app-secret-1'): CreateOcServiceBody {
  return {
    configurationName: 'OcEssential_IPGROUP_TYPE',
    msTenantId: 'f9f53ee0-56e1-43f6-8fe3-5fb322986657',
    customerShortName: shortName,
    customerFullName: shortName,
    licenseType: 3,
    licensedUsersCount: 10,
    ovocCustomerType: 'IPGROUP_TYPE',
    teamsQos: { applicationID: '3f1b2c4d-0000-4000-8000-000000000001', applicationPassword },
    scriptParameters: { CacProfile: '5 sessions', ProxySet: 'SIPTrunk' },
  };
}

/** Waits for the next turn of the event loop so that buffered log lines are written. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
