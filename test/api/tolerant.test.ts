/**
 * Tolerant reading: a platform that answers more than the pages document — an unknown field, an
 * enumeration value lpsync has not met — is read, and told once per run with the endpoint and
 * the field; a field lpsync needs that is missing is an error naming the endpoint and the field.
 * The answers are recorded variants of the vendor examples, served by a loopback server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createLivePlatformClient } from '../../src/api/index.js';
import { createRedactor } from '../../src/model/redact.js';
import {
  createOcServiceFromLeadTaskNewStatus,
  exampleJson,
  vendorServiceList,
  vendorServiceListNewerRelease,
  vendorServiceListWithoutShortName,
  vendorSiteReadBack,
  vendorSiteReadBackNewerRelease,
  vendorSiteReadBackWithoutSiteName,
} from '../support/vendor-examples.js';
import { flush, memoryLog } from './helpers.js';

/** What the server answers, by path (without /tenantui and the query). */
const answers: Record<string, unknown> = {};
let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/tenantui/, '');
    const body = answers[path];
    res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body ?? { title: 'Not Found', status: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenantui`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client() {
  const log = memoryLog();
  const c = createLivePlatformClient({
    baseUrl,
    auth: { kind: 'token', token: 'demo-token' },
    logger: log.logger,
    redactor: createRedactor(),
    retry: { maxAttempts: 1 },
  });
  return { client: c, log };
}

const warnings = async (log: ReturnType<typeof memoryLog>) => {
  await flush();
  return log.lines
    .map((l) => JSON.parse(l) as { level: string; message: string; endpoint?: string; field?: string })
    .filter((l) => l.level === 'warn');
};

describe('tolerant reading of the platform', () => {
  it('the vendor examples as documented: read without a warning', async () => {
    answers['/api/v3/customer'] = vendorServiceList;
    answers['/api/v2/sitelocation/site-1'] = vendorSiteReadBack;
    const { client: c, log } = client();
    try {
      expect(await c.listServices({ allDetails: true })).toHaveLength(1);
      expect(await c.getSite('site-1')).not.toBe(null);
      expect(c.notices()).toEqual([]);
      expect(await warnings(log)).toEqual([]);
    } finally {
      c.close();
    }
  });

  it('unknown fields and values: read, and each warned once per run naming endpoint and field', async () => {
    answers['/api/v3/customer'] = vendorServiceListNewerRelease;
    answers['/api/v2/sitelocation/site-1'] = vendorSiteReadBackNewerRelease;
    answers['/api/v2/task/wst_1'] = createOcServiceFromLeadTaskNewStatus;
    const { client: c, log } = client();
    try {
      const services = await c.listServices({ allDetails: true });
      await c.listServices({ allDetails: true });
      expect(services.map((s) => [s.shortName, s.licenseType])).toEqual([
        ['BradTest3', 2],
        ['BradTeams9', 5],
      ]);
      expect(services[0]!.sites[0]!.sbcDeploymentState).toBe('Provisioning');
      const site = await c.getSite('site-1');
      await c.getSite('site-1');
      expect(site?.sbcDeploymentState).toBe(7);
      expect(site?.sbcConfigurationType).toBe(null);
      expect((await c.getTask('wst_1')).status).toBe('CompletedWithWarnings');

      const shown = (await warnings(log)).map((w) => `${w.endpoint} | ${w.field}`);
      expect(shown).toEqual([
        'GET /api/v3/customer | SiteLocation[].sbcDeploymentState',
        'GET /api/v3/customer | SiteLocation[].sbcVersion',
        'GET /api/v3/customer | PartnerId',
        'GET /api/v3/customer | LicenseType',
        'GET /api/v2/sitelocation/{siteLocationId} | sbcDeploymentState',
        'GET /api/v2/sitelocation/{siteLocationId} | sbcInfo.sbcConfigurationType',
        'GET /api/v2/sitelocation/{siteLocationId} | sbcInfo.sbcVersion',
        'GET /api/v2/sitelocation/{siteLocationId} | lastModified',
        'GET /api/v2/task/{taskId} | status',
      ]);
      const messages = (await warnings(log)).map((w) => w.message);
      expect(messages).toContain(
        'GET /api/v3/customer answered a field lpsync does not know: PartnerId (ignored; lpsync reads only the documented fields).',
      );
      expect(messages.find((m) => m.includes('LicenseType'))).toMatch(
        /GET \/api\/v3\/customer answered LicenseType 5, a value lpsync does not know \(it knows 2, 3\): .*conflict/,
      );
      expect(messages.find((m) => m.includes('"Provisioning"'))).toMatch(
        /SiteLocation\[\]\.sbcDeploymentState "Provisioning", a value lpsync does not know \(it knows Deployed, Unknown\)/,
      );
      expect(messages.find((m) => m.includes('/api/v2/task'))).toMatch(
        /"CompletedWithWarnings".*ended without success/,
      );
      expect(c.notices().map((n) => n.field)).toHaveLength(9);
    } finally {
      c.close();
    }
  });

  it('a field lpsync needs is missing: an error that names the endpoint and the field', async () => {
    answers['/api/v3/customer'] = vendorServiceListWithoutShortName;
    answers['/api/v2/sitelocation/site-1'] = vendorSiteReadBackWithoutSiteName;
    answers['/api/v2/task/wst_2'] = { id: 'wst_2', details: [] };
    const { client: c } = client();
    try {
      const listing = (await c.listServices({ allDetails: true }).catch((e: unknown) => e)) as ApiError;
      expect(listing).toBeInstanceOf(ApiError);
      expect(listing.code).toBe('bad-response');
      expect(listing.message).toMatch(
        /^GET \/api\/v3\/customer\?allDetails=true answered something lpsync does not understand \(0: missing field CustomerShortName \(also read as ShortName\)\)/,
      );
      const site = (await c.getSite('site-1').catch((e: unknown) => e)) as ApiError;
      expect(site.message).toMatch(/^GET \/api\/v2\/sitelocation\/site-1 answered .*missing field siteName/);
      const task = (await c.getTask('wst_2').catch((e: unknown) => e)) as ApiError;
      expect(task.message).toMatch(/^GET \/api\/v2\/task\/wst_2 answered .*missing field status/);
    } finally {
      c.close();
    }
  });

  it('the written example answers (create, add, modify, task) carry no unknown field', async () => {
    const { ENDPOINT_SHAPES, inspectShape } = await import('../../src/api/shape.js');
    const examples = await import('../support/vendor-examples.js');
    const cases: Array<[string, string]> = [
      ['POST /api/v2/customer', examples.createEssentialsCustomerResponse],
      ['POST /api/v2/customer', examples.createHostedEssentialsServiceResponse],
      ['POST /api/v3/customer', examples.createOcServiceFromLeadJobResponse],
      ['GET /api/v2/task/{taskId}', examples.createOcServiceFromLeadTaskResponse],
      ['POST /api/v2/customer/{customerGuid}/sitelocation/', examples.addSipConnectionResponse],
      ['PATCH /api/v2/customer/{customerGuid}/sitelocation/', examples.modifySipConnectionResponse],
    ];
    for (const [endpoint, text] of cases)
      expect(inspectShape(endpoint, ENDPOINT_SHAPES[endpoint]!, exampleJson(text)), endpoint).toEqual([]);
    expect(
      inspectShape(
        'GET /api/v3/customer/{customerGuid}',
        ENDPOINT_SHAPES['GET /api/v3/customer/{customerGuid}']!,
        examples.modifyPageService,
      ),
    ).toEqual([]);
  });
});
