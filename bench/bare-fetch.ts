/**
 * The bare client of the apply CPU bench as a process of its own (bare-requests.ts). Arguments: base
 * URL, a JSON file of [{ method, path, body }], concurrency.
 */
import { readFileSync } from 'node:fs';
import { sendBare, type BareRequest } from './bare-requests.js';

const [url, file, concurrency] = process.argv.slice(2);
await sendBare(url!, JSON.parse(readFileSync(file!, 'utf8')) as BareRequest[], Number(concurrency));
