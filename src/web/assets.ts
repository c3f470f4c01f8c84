/** The console's one stylesheet and one script, served by lpsync itself (nothing from a CDN: it works offline). */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  name: string;
  type: string;
  body: Buffer;
  etag: string;
}

const TYPES: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
};

/** src/web/static beside this file (run from src/), or the package's src/web/static (run from dist/src/web). */
export function staticFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'static'), join(here, '..', '..', '..', 'src', 'web', 'static')];
  const found = candidates.find((c) => existsSync(join(c, 'console.js')));
  if (!found) throw new Error(`The console's files are missing: looked in ${candidates.join(' and ')}`);
  return found;
}

/** Read once at start: they do not change while the server runs. */
export function loadAssets(folder = staticFolder()): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(TYPES)) {
    const body = readFileSync(join(folder, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { name, type, body, etag });
  }
  return assets;
}
