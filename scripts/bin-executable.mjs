// build: tsc writes dist/src/cli/main.js without the execute bit. npm sets it only when it links the bin,
// and npx links a checkout once per path: after a clean rebuild (a new clone at the same path, rm -rf dist)
// `npx lpsync` found the old link and failed with "Permission denied". The build sets it itself.
import { chmodSync, readFileSync } from 'node:fs';

const { bin } = JSON.parse(readFileSync('package.json', 'utf8'));
for (const file of Object.values(bin)) chmodSync(file, 0o755);
