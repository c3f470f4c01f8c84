import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createLivePlatformClient, type ClientOptions } from '../../src/api/index.js';
import { createRedactor, MASK } from '../../src/model/redact.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { addSiteBody, customerBody, flush, memoryLog, modifySiteBody, ocBody } from './helpers.js';

const SECRETS = {
  carrierUserPassword: 'Carr1er-P@ss-111',
  carrierPasswordDPI: 'Dp1-P@ss-2222',
  applicationPassword: 'App-P@ss-3333',
  clientSecret: 'Cl1ent-S3cret-9a8b',
  bearerToken: 'Static-Bearer-T0ken-9f8e7d',
};
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

describe('no secret reaches a log line or an error', () => {
  let sim: RunningSimulator;
  const log = memoryLog();
  const errors: unknown[] = [];
  const clients: Array<{ close(): void }> = [];

  const make = (options: Partial<ClientOptions>) => {
    const client = createLivePlatformClient({
      baseUrl: sim.url,
      auth: { kind: 'token', token: SECRETS.bearerToken },
      logger: log.logger,
      // A fresh redactor that knows no values: the client must register what it sends.
      redactor: createRedactor(),
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      task: { pollIntervalMs: 20, maxPollIntervalMs: 50, timeoutMs: 5_000 },
      ...options,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      seed: 3,
      taskDurationMs: 50,
      staticTokens: [SECRETS.bearerToken],
      clients: [{ clientId: 'lpsync-demo', clientSecret: SECRETS.clientSecret }],
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await sim.close();
  });

  it('runs every secret through requests, logs and errors', async () => {
    const viaSecret = make({
      auth: {
        kind: 'client-credentials',
        tokenUrl: `${sim.url}/oauth2/token`,
        clientId: 'lpsync-demo',
        clientSecret: SECRETS.clientSecret,
      },
    });
    const viaToken = make({});

    const created = await viaSecret.createCustomer(customerBody('Secrets1'));
    if (created.kind !== 'ok') throw new Error('create failed');
    const guid = created.value.customerGuid;
    const added = await viaSecret.addSite(guid, addSiteBody('SecretSite', SECRETS.carrierUserPassword));
    if (added.kind !== 'ok') throw new Error('add failed');
    const modified = await viaSecret.modifySite(
      guid,
      added.value.siteGuid,
      modifySiteBody('SecretSite', SECRETS.carrierUserPassword, SECRETS.carrierPasswordDPI),
    );
    expect(modified.kind).toBe('ok');
    // The read-back carries the carrier password in clear: the caller gets it, the log must not.
    const site = await viaSecret.getSite(added.value.siteGuid);
    expect(site?.customerVariables.CarrierUserPassword).toBe(SECRETS.carrierUserPassword);

    const oc = await viaToken.createOcService(ocBody('SecretsOc1', SECRETS.applicationPassword));
    if (oc.kind !== 'ok') throw new Error('oc failed');
    await viaToken.waitForTask(oc.value.jobId);

    // A 400 about the password field (too long, wide characters).
    const refused = await viaSecret.addSite(
      guid,
      addSiteBody('BadPassword', `${SECRETS.carrierUserPassword}-ünïcödé-${'x'.repeat(60)}`),
    );
    expect(refused.kind).toBe('failed');
    if (refused.kind === 'failed') errors.push(refused.error);

    // An answer that echoes a stored password: Get SIP Connection served where a task is expected.
    const echo = make({ baseUrl: `${sim.url}/api/v2/sitelocation/${added.value.siteGuid}?echo=` });
    const badRead = await echo.getTask('wst_1').catch((e: unknown) => e);
    expect(badRead).toBeInstanceOf(ApiError);
    expect((badRead as ApiError).code).toBe('bad-response');
    expect((badRead as ApiError).body).toContain(`"CarrierUserPassword":"${MASK}"`);
    errors.push(badRead);

    // Refused credentials: the error names the client id, never the secret tried.
    const wrong = make({
      auth: {
        kind: 'client-credentials',
        tokenUrl: `${sim.url}/oauth2/token?client_secret=${SECRETS.clientSecret}`,
        clientId: 'lpsync-demo',
        clientSecret: `${SECRETS.clientSecret}-old`,
      },
    });
    errors.push(await wrong.listServices().catch((e: unknown) => e));

    // The platform refusing the static bearer token.
    const stale = make({ auth: { kind: 'token', token: `${SECRETS.bearerToken}-stale` } });
    errors.push(await stale.listServices().catch((e: unknown) => e));
    log.logger.debug('for comparison', { expected: 'the log works' });
    await flush();

    const errorText = errors
      .map((e) => {
        const err = e as Error & { toJSON?: () => unknown; body?: string; hint?: string };
        return [err.message, err.stack, err.body, err.hint, JSON.stringify(err.toJSON?.() ?? {})].join('\n');
      })
      .join('\n');
    const output = `${log.text()}\n${errorText}`;

    expect(log.text()).toContain('the log works');
    expect(log.text()).toContain('POST /api/v2/customer/');
    expect(log.text()).toContain('→ 200');
    expect(errors).toHaveLength(4);
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(output.includes(value), `${name} leaked`).toBe(false);
    }
    expect(output).not.toMatch(JWT);
  });
});
