#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { EXIT } from '../model/errors.js';
import { buildCli } from './cli.js';
import { UsageError } from './usage.js';

try {
  await buildCli(hideBin(process.argv)).parseAsync();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message);
  process.exitCode = EXIT.invalid;
}
