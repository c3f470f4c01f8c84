/** Connection settings for a simulator on a loopback port, as a face would resolve them from flags and environment. */
import type { ConnectionSettings } from '../../src/run/index.js';
import { resolveProxyRules } from '../../src/run/index.js';

export function simulatorConnection(url: string, more: Partial<ConnectionSettings> = {}): ConnectionSettings {
  return {
    baseUrl: url,
    auth: { kind: 'token', token: 'demo-token' },
    insecure: false,
    timeoutMs: 10_000,
    maxResponseBytes: 16 * 1024 * 1024,
    maxAttempts: 3,
    concurrency: { mode: 'auto', start: 4, max: 32 },
    proxy: resolveProxyRules({ env: {} }),
    sources: {
      baseUrl: 'test',
      credentials: 'test',
      caFile: 'test',
      insecure: 'test',
      timeout: 'test',
      maxResponse: 'test',
      retries: 'test',
      concurrency: 'test',
      maxConcurrency: 'test',
      rate: 'test',
      proxy: 'test',
    },
    ...more,
  };
}
