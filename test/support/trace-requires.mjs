// node --import ./test/support/trace-requires.mjs …: on exit, appends every CommonJS module the program loaded
// (require.cache, where createRequire's loads land too) to $LPSYNC_TRACE_REQUIRES; trace-imports sees only ESM.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { cache } = createRequire(import.meta.url);
const file = process.env.LPSYNC_TRACE_REQUIRES;
if (file) process.on('exit', () => appendFileSync(file, `${Object.keys(cache).join('\n')}\n`));
