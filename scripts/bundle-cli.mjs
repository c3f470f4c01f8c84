// build: the CLI as a few ES modules instead of ~300. tsc's output is one file per source module, and
// Node 20 resolves, stats, reads and links each: about a fifth of what `lpsync apply` of 1,000 rows cost
// before it read its input. esbuild joins lpsync's own modules (packages stay imports from node_modules;
// a dynamic import stays lazy, as its own chunk) into dist/src/cli/main.js, where `bin` points: the tests
// and the bench run that file. The rest of dist (tsc's modules) stays for code that imports lpsync's
// modules one by one (the bench's in-process parts).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const out = join('dist', 'src', 'cli');
const entry = join(out, 'main.js');
// The entry must be tsc's: bundling a bundle would import chunks this step deletes.
if (readFileSync(entry, 'utf8').includes('./chunk-'))
  throw new Error(`${entry} is already bundled: run the whole build (tsc first)`);
// Chunks of an earlier build, named by their content: left, they would only pile up.
for (const name of readdirSync(out)) if (/^chunk-.*\.js(\.map)?$/.test(name)) rmSync(join(out, name));

await build({
  entryPoints: [entry],
  outdir: out,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  sourcemap: true,
  logLevel: 'warning',
});
