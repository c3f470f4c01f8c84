/** The clock check: this machine's clock against the Live Platform's Date header (tokens carry times). */
import type { Exchange } from '../../api/transport.js';
import type { Check } from './check.js';

export const CLOCK = { id: 'clock', title: 'Clock' } as const;

/** A clock this far from the platform's is worth a warning. */
const MAX_SKEW_MS = 60_000;

/** How far apart the clocks are, read from one answered exchange. */
export function clockCheck(exchange: Exchange | undefined): Check {
  const date = exchange?.response?.headers.find(([name]) => name.toLowerCase() === 'date')?.[1];
  if (!exchange || !date || Number.isNaN(Date.parse(date)))
    return {
      ...CLOCK,
      status: 'warn',
      detail: 'the Live Platform sent no Date header: the clock cannot be compared',
      hint: 'Keep this machine on NTP: tokens carry times.',
    };
  // The Date header has whole seconds: compare with the middle of the exchange.
  const local = exchange.startedAt.getTime() + exchange.durationMs / 2;
  const skewMs = Date.parse(date) - local;
  const seconds = Math.round(skewMs / 1000);
  const apart =
    seconds === 0 ? 'within a second of' : `${Math.abs(seconds)} s ${seconds > 0 ? 'behind' : 'ahead of'}`;
  const detail = `this machine's clock is ${apart} the Live Platform's (its Date header: ${date})`;
  return Math.abs(skewMs) > MAX_SKEW_MS + 1000
    ? {
        ...CLOCK,
        status: 'warn',
        detail,
        hint: 'Set the clock (NTP): tokens are refused as expired or not yet valid when clocks disagree by minutes.',
        data: { skewSeconds: seconds },
      }
    : { ...CLOCK, status: 'ok', detail, data: { skewSeconds: seconds } };
}
