#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { exitCodeFor, LpsyncError } from '../model/errors.js';
import { buildCli } from './cli.js';

try {
  await buildCli(hideBin(process.argv)).parseAsync();
} catch (error) {
  // A usage error, or any lpsync fault a command let through: its message and hint, its exit code.
  if (!(error instanceof LpsyncError)) throw error;
  console.error(error.hint ? `${error.message}\n${error.hint}` : error.message);
  process.exitCode = exitCodeFor(error.code);
}
