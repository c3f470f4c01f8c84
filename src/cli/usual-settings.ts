/**
 * The connection settings as they usually come (every value of the right type and in range), read by hand
 * into what the settings' schema gives, so that an ordinary run does not load zod. Anything else returns
 * undefined and goes through the schema, whose messages name what is wrong.
 */
import { isHttpUrl } from '../model/http-url.js';
import type { SettingFields } from './connection.js';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The settings as the schema would give them, or undefined when anything is unusual. */
export function usualSettings(raw: Record<string, unknown>): SettingFields | undefined {
  const { baseUrl, caFile, insecure, timeout, retries, maxResponseMb, rate } = raw;
  if (typeof baseUrl !== 'string' || !isHttpUrl(baseUrl.trim())) return undefined;
  if (caFile !== undefined && typeof caFile !== 'string') return undefined;
  if (typeof insecure !== 'boolean') return undefined;
  if (!(finite(timeout) && timeout > 0)) return undefined;
  if (!(Number.isSafeInteger(retries) && (retries as number) >= 0)) return undefined;
  if (!(finite(maxResponseMb) && maxResponseMb > 0 && maxResponseMb <= 4096)) return undefined;
  if (rate !== undefined && !(finite(rate) && rate > 0)) return undefined;
  // The schema keeps an optional key the input has (even when undefined) and leaves out one it lacks.
  return {
    baseUrl: baseUrl.trim().replace(/\/+$/, ''),
    ...('caFile' in raw ? { caFile } : {}),
    insecure,
    timeout,
    retries: retries as number,
    maxResponseMb,
    ...('rate' in raw ? { rate } : {}),
  };
}
