import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of lpsync's package.json, found from this file whether run from src/ or dist/; null when not found. */
export function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'lpsync') return dir;
    } catch {
      // not here: keep walking up
    }
    dir = dirname(dir);
  }
  return null;
}

/** lpsync's version from its package.json. */
export function lpsyncVersion(): string {
  const root = packageRoot();
  if (!root) return '0.0.0';
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
