/**
 * The bare client of the apply CPU bench: the same requests with Node's own fetch, `concurrency` at a
 * time, each answer read and parsed, nothing else. Arguments: base URL, a JSON file of
 * [{ method, path, body }], concurrency. A request that is not answered 2xx ends it with an error.
 */
import { readFileSync } from 'node:fs';

interface BareRequest {
  method: string;
  path: string;
  body: unknown;
}

const [url, file, concurrency] = process.argv.slice(2);
const requests = JSON.parse(readFileSync(file!, 'utf8')) as BareRequest[];
let next = 0;
const worker = async (): Promise<void> => {
  while (next < requests.length) {
    const request = requests[next++]!;
    const answer = await fetch(`${url}${request.path}`, {
      method: request.method,
      headers: {
        authorization: 'Bearer demo-token',
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(request.body),
    });
    const text = await answer.text();
    if (answer.status < 200 || answer.status > 299) throw new Error(`${answer.status}: ${text}`);
    JSON.parse(text);
  }
};
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
