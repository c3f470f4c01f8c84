// node --import ./test/support/trace-imports.mjs …: appends every module URL the program loads to $LPSYNC_TRACE_IMPORTS.
import { register } from 'node:module';
register(new URL('./trace-imports-hooks.mjs', import.meta.url), {
  data: { file: process.env.LPSYNC_TRACE_IMPORTS },
});
