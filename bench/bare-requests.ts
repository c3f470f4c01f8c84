/**
 * The bare client both apply CPU baselines run: the same requests with Node's own fetch, `concurrency`
 * at a time, each answer read and parsed, nothing else. No imports: the baseline's own process loads
 * nothing more than this. A request that is not answered 2xx ends it with an error.
 */
export interface BareRequest {
  method: string;
  path: string;
  body: unknown;
}

export async function sendBare(
  url: string,
  requests: readonly BareRequest[],
  concurrency: number,
): Promise<void> {
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
  await Promise.all(Array.from({ length: concurrency }, worker));
}
