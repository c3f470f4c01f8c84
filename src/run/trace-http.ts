/**
 * `--trace-http FILE.har`: keeps every exchange of the run in memory and writes them, masked,
 * as one HAR 1.2 file when the client closes — also after a fatal error, when support needs it most.
 */
import { writeFileAtomically } from '../report/atomic-file.js';
import { buildHar } from '../api/har.js';
import type { Exchange } from '../api/transport.js';
import type { Log } from '../model/log.js';
import type { Redactor } from '../model/redact.js';

export interface HttpTrace {
  record(exchange: Exchange): void;
  /** Writes the file (atomically); a failure is logged, never thrown: the trace must not end the run. */
  write(): void;
}

export function attachHttpTrace(
  path: string,
  context: { redactor: Redactor; log: Log; lpsyncVersion: string },
): HttpTrace {
  const { redactor, log: logger } = context;
  const exchanges: Exchange[] = [];
  let written = false;
  return {
    record: (exchange) => {
      exchanges.push(exchange);
    },
    write: () => {
      if (written) return;
      written = true;
      try {
        const har = buildHar(exchanges, redactor, { name: 'lpsync', version: context.lpsyncVersion });
        writeFileAtomically(path, JSON.stringify(har, null, 2) + '\n');
        logger.info(`HTTP trace: ${exchanges.length} requests written to ${path} (secrets masked)`);
      } catch (error) {
        logger.warn(`The HTTP trace could not be written to ${path}: ${(error as Error).message}`);
      }
    },
  };
}
