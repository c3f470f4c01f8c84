import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/state/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lpsync-state-procs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('state store opened by several runs at once', () => {
  it('a new store opened by four processes at the same moment is created once, whole', async () => {
    const path = join(dir, 'race', 'state.db');
    const module = join(import.meta.dirname, '..', '..', 'dist', 'src', 'state', 'store.js');
    // Each child waits for the same instant, then opens the store and closes it.
    const at = Date.now() + 1500;
    const script = `const { openStateStore } = await import(${JSON.stringify(module)});
      while (Date.now() < ${at}) {}
      openStateStore(${JSON.stringify(path)}).close();`;
    const { spawn } = await import('node:child_process');
    const codes = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            child.on('close', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    for (const c of codes) expect(c.code, c.stderr).toBe(0);
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: SCHEMA_VERSION }]);
    } finally {
      db.close();
    }
  });
});
