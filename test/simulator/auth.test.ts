import { describe, expect, it } from 'vitest';
import { client, start, TRACE_ID } from './helpers.js';
import type { RunningSimulator } from '../../src/simulator/index.js';

async function token(sim: RunningSimulator, form: Record<string, string>, path = '/oauth2/token') {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const demoClient = {
  grant_type: 'client_credentials',
  client_id: 'lpsync-demo',
  client_secret: 'demo-secret',
  scope: 'api://live-platform/.default',
};

describe('authentication', () => {
  it('every /api call without a bearer token, or with a bad one → 401 problem JSON with WWW-Authenticate', async () => {
    const sim = await start();
    for (const c of [client(sim, null), client(sim, 'not-a-token')]) {
      for (const res of [await c.get('/api/v3/customer'), await c.post('/api/v2/customer', {})]) {
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body).toMatchObject({ type: 'https://httpstatuses.com/401', status: 401 });
        expect(res.body.traceId).toMatch(TRACE_ID);
      }
    }
    expect(sim.snapshot().counters.createAttempts).toEqual({});
    // The test endpoints need no token.
    expect((await client(sim, null).get('/_sim/state')).status).toBe(200);
  });

  it('a static token works; client credentials issue a Bearer token that works, also under /tenantui', async () => {
    const sim = await start();
    expect((await client(sim, 'demo-token').get('/api/v3/customer')).status).toBe(200);
    const issued = await token(sim, demoClient);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const accessToken = issued.body.access_token as string;
    expect(accessToken.split('.')).toHaveLength(3);
    expect((await client(sim, accessToken).get('/api/v3/customer')).status).toBe(200);
    expect((await client(sim, accessToken).get('/tenantui/api/v3/customer?allDetails=true')).status).toBe(
      200,
    );
    expect(sim.snapshot().counters.tokensIssued).toBe(1);
  });

  it('the token endpoint also answers at Azure AD’s paths (/{tenant}/oauth2/v2.0/token, /oauth2/v2.0/token)', async () => {
    const sim = await start();
    for (const path of [
      '/oauth2/v2.0/token',
      '/4bf50a33-a383-4d3f-9403-220c898bc1b2/oauth2/v2.0/token',
      '/contoso.onmicrosoft.com/oauth2/token',
    ]) {
      const issued = await token(sim, demoClient, path);
      expect(issued.status).toBe(200);
      expect((await client(sim, issued.body.access_token as string).get('/api/v3/customer')).status).toBe(
        200,
      );
    }
    expect(sim.snapshot().counters.tokensIssued).toBe(3);
  });

  it('configured clients and static tokens replace the defaults', async () => {
    const sim = await start({ clients: [{ clientId: 'ops', clientSecret: 's3cret' }], staticTokens: ['t1'] });
    expect((await token(sim, { ...demoClient, client_id: 'ops', client_secret: 's3cret' })).status).toBe(200);
    expect((await client(sim, 't1').get('/api/v3/customer')).status).toBe(200);
    expect((await client(sim, 'demo-token').get('/api/v3/customer')).status).toBe(401);
  });

  it('an unknown client → unauthorized_client AADSTS700016; a wrong secret → invalid_client', async () => {
    const sim = await start();
    const unknown = await token(sim, { ...demoClient, client_id: 'someone-else' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('unauthorized_client');
    expect(unknown.body.error_description).toMatch(/^AADSTS700016/);
    const wrong = await token(sim, { ...demoClient, client_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    const grant = await token(sim, { ...demoClient, grant_type: 'password' });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
    expect(sim.snapshot().counters.tokensIssued).toBe(0);
  });

  it('client credentials in an HTTP Basic header are accepted too', async () => {
    const sim = await start();
    const res = await fetch(`${sim.url}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from('lpsync-demo:demo-secret').toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
  });

  it('issued tokens expire after their lifetime', async () => {
    let now = Date.now();
    const sim = await start({ tokenLifetimeSeconds: 1, clock: () => now });
    const issued = await token(sim, demoClient);
    expect(issued.body.expires_in).toBe(1);
    const c = client(sim, issued.body.access_token as string);
    expect((await c.get('/api/v3/customer')).status).toBe(200);
    now += 900;
    expect((await c.get('/api/v3/customer')).status).toBe(200);
    now += 200;
    expect((await c.get('/api/v3/customer')).status).toBe(401);
  });

  it('POST /_sim/expire-tokens expires every issued token now; static tokens stay valid', async () => {
    const sim = await start();
    const issued = await token(sim, demoClient);
    const c = client(sim, issued.body.access_token as string);
    expect((await c.get('/api/v3/customer')).status).toBe(200);
    const expired = await client(sim, null).post('/_sim/expire-tokens');
    expect(expired.body).toEqual({ expired: 1 });
    expect((await c.get('/api/v3/customer')).status).toBe(401);
    expect((await client(sim).get('/api/v3/customer')).status).toBe(200);
    const fresh = await token(sim, demoClient);
    expect((await client(sim, fresh.body.access_token as string).get('/api/v3/customer')).status).toBe(200);
  });
});
