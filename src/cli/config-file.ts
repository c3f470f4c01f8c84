/** The `--config` JSON file of connection settings: read, parsed and checked against the settings it may hold. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { RunError } from '../model/errors.js';
import { lazy } from '../model/zod-lazy.js';

/** The config file's schema, built on first use (only with `--config`). */
const configFileSchema = lazy((z) => {
  const configFileSchema = z.strictObject({
    baseUrl: z.string().optional(),
    token: z.string().optional(),
    tokenUrl: z.string().optional(),
    clientId: z.string().optional(),
    clientSecret: z.string().optional(),
    scope: z.string().optional(),
    caFile: z.string().optional(),
    insecure: z.boolean().optional(),
    timeout: z.number().optional(),
    retries: z.number().optional(),
    maxResponseMb: z.number().optional(),
    concurrency: z.union([z.number(), z.string()]).optional(),
    maxConcurrency: z.number().optional(),
    rate: z.number().optional(),
    proxy: z.string().optional(),
    noProxy: z.string().optional(),
  });
  return configFileSchema;
});

export type ConfigFile = z.output<ReturnType<typeof configFileSchema>>;

/** The file read and checked; unreadable, not JSON or an unknown setting is RunError('invalid-options'). */
export function readConfig(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunError(
      'invalid-options',
      `Cannot read the --config file ${file}: ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's own words quote the file around the mistake: for a secret typed without quotes, the secret.
    throw new RunError(
      'invalid-options',
      `The --config file ${file} is not valid JSON (check the quotes and commas).`,
    );
  }
  const parsed = configFileSchema().safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) =>
        i.code === 'unrecognized_keys'
          ? `unknown setting ${i.keys.map((k) => `"${k}"`).join(', ')}`
          : `"${i.path.join('.')}": ${i.message}`,
      )
      .join('; ');
    throw new RunError('invalid-options', `The --config file ${file} is invalid: ${problems}`, {
      hint: `Known settings: ${Object.keys(configFileSchema().shape).join(', ')}.`,
    });
  }
  return parsed.data;
}
