/**
 * `lpsync serve`'s reach, checked before it listens: loopback by default; beyond it only with accounts AND
 * TLS here (--tls-cert/--tls-key) or at a proxy named by its address (--behind-tls-proxy with --public-url).
 * Each refusal says what to add.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveSecurity, type ServeSecurityArgs } from '../../src/cli/serve-options.js';

const dir = mkdtempSync(join(tmpdir(), 'lpsync-serve-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
writeFileSync(cert, 'CERT');
writeFileSync(key, 'KEY');

function refusal(args: ServeSecurityArgs): string {
  try {
    serveSecurity(args);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`not refused: ${JSON.stringify(args)}`);
}

describe('serve beyond this machine', () => {
  it('is refused without accounts, whatever TLS it has', () => {
    for (const extra of [{}, { 'tls-cert': cert, 'tls-key': key }])
      expect(refusal({ host: '0.0.0.0', ...extra })).toContain(
        '--host 0.0.0.0 is refused: without user accounts the console listens on this machine only',
      );
  });

  it('is refused with accounts but without TLS here or at a proxy', () => {
    expect(refusal({ host: '10.0.0.4', users: 'users.json' })).toContain(
      '--host 10.0.0.4 is refused without TLS',
    );
  });

  it('a certificate without its key, a proxy without accounts or without its public address, a bad proxy address: refused', () => {
    expect(refusal({ host: '0.0.0.0', users: 'u.json', 'tls-cert': cert })).toContain(
      '--tls-cert and --tls-key go together',
    );
    expect(refusal({ host: '127.0.0.1', 'behind-tls-proxy': '10.0.0.1' })).toContain(
      '--behind-tls-proxy needs --users',
    );
    expect(refusal({ host: '0.0.0.0', users: 'u.json', 'behind-tls-proxy': '10.0.0.1' })).toContain(
      '--behind-tls-proxy needs --public-url',
    );
    expect(
      refusal({
        host: '0.0.0.0',
        users: 'u.json',
        'behind-tls-proxy': 'proxy',
        'public-url': 'https://x.test',
      }),
    ).toContain('Invalid --behind-tls-proxy proxy');
    expect(
      refusal({
        host: '0.0.0.0',
        users: 'u.json',
        'behind-tls-proxy': '10.0.0.1',
        'public-url': 'http://x.test',
      }),
    ).toContain('behind a TLS proxy the address people open is https://');
    expect(refusal({ host: '127.0.0.1', 'require-approval': true })).toContain(
      '--require-approval needs --users',
    );
  });

  it('is allowed with accounts and TLS here, or accounts and a named proxy; loopback needs neither', () => {
    const tls = serveSecurity({ host: '0.0.0.0', users: 'u.json', 'tls-cert': cert, 'tls-key': key });
    expect(tls.tls?.cert.toString()).toBe('CERT');
    expect(tls.usersFile).toMatch(/u\.json$/);
    const proxied = serveSecurity({
      host: '0.0.0.0',
      users: 'u.json',
      'behind-tls-proxy': '10.0.0.1',
      'public-url': 'https://lpsync.example.com',
      'require-approval': true,
      'session-idle': '2h',
    });
    expect(proxied).toMatchObject({
      behindTlsProxy: '10.0.0.1',
      publicUrl: 'https://lpsync.example.com',
      requireApproval: true,
      idleMs: 2 * 3_600_000,
    });
    expect(serveSecurity({ host: '127.0.0.1' })).toEqual({ requireApproval: false });
  });
});
