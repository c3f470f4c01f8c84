/**
 * The checks through the real client, once the platform can be reached: the token, the listing,
 * one read-back and the clock. One attempt each (two at most on a network error); nothing written.
 */
import {
  ApiError,
  createLivePlatformClient,
  type LivePlatformClient,
  type ServiceSummary,
} from '../../api/index.js';
import type { ShapeNotice } from '../../api/shape.js';
import type { Exchange } from '../../api/transport.js';
import { RunError } from '../../model/errors.js';
import type { DoctorInput, DoctorSettings } from '../doctor.js';
import { notTried, type Check } from './check.js';
import { CLOCK, clockCheck } from './clock.js';
import { TOKEN, tokenCheck } from './token.js';

const LISTING = { id: 'listing', title: 'Listing' } as const;
const READ_BACK = { id: 'read-back', title: 'Read-back' } as const;

/** The API checks, in order; what cannot be reached is not tried. */
export const API_CHECKS = [TOKEN, LISTING, READ_BACK, CLOCK] as const;

/** Token, listing, one read-back and the clock, through the real client. */
export async function apiChecks(s: DoctorSettings, input: DoctorInput): Promise<Check[]> {
  const exchanges: Exchange[] = [];
  const client = openClient(s, input, exchanges);
  try {
    let services: ServiceSummary[] | undefined;
    let listingError: unknown;
    try {
      services = await client.listServices({ allDetails: true });
    } catch (error) {
      listingError = error;
    }
    const tokenUrl = s.auth.kind === 'client-credentials' ? s.auth.tokenUrl : undefined;
    const tokenExchange = tokenUrl ? exchanges.find((e) => e.request.url === tokenUrl) : undefined;
    const token = tokenCheck(s.auth, tokenExchange, listingError, input.now);
    if (token.status === 'fail' && s.auth.kind === 'client-credentials')
      return [token, ...notTried([LISTING, READ_BACK, CLOCK], 'no token')];
    const listingExchange = exchanges.find((e) => e.request.url.includes('/api/v3/customer?allDetails=true'));
    const listed = services
      ? [listingCheck(client, services), await readBackCheck(client, services)]
      : [listingFailure(listingError), ...notTried([READ_BACK], 'no listing')];
    return [token, ...listed, clockCheck(listingExchange ?? exchanges.find((e) => e.response !== null))];
  } finally {
    client.close();
  }
}

/** The client as a run would open it, but one request at a time, few retries and every exchange kept. */
function openClient(s: DoctorSettings, input: DoctorInput, exchanges: Exchange[]): LivePlatformClient {
  return createLivePlatformClient({
    baseUrl: s.baseUrl,
    auth: s.auth,
    logger: input.logger,
    redactor: input.redactor,
    concurrency: 1,
    timeoutMs: s.timeoutMs,
    ...(s.maxResponseBytes === undefined ? {} : { maxResponseBytes: s.maxResponseBytes }),
    retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000 },
    insecure: s.insecure,
    proxy: s.proxy,
    ...(s.caFile ? { caFile: s.caFile } : {}),
    onExchange: (e) => exchanges.push(e),
  });
}

function listingCheck(client: LivePlatformClient, services: ServiceSummary[]): Check {
  const sites = services.reduce((n, svc) => n + svc.sites.length, 0);
  return shapeCheck(
    LISTING,
    `GET /api/v3/customer?allDetails=true: ${services.length} service(s), ${sites} SIP connection(s)`,
    client.notices().filter((n) => n.endpoint === 'GET /api/v3/customer'),
  );
}

/** Get SIP Connection for the first site the listing names. */
async function readBackCheck(client: LivePlatformClient, services: ServiceSummary[]): Promise<Check> {
  const service = services.find((svc) => svc.sites.length > 0);
  const site = service?.sites[0];
  if (!service || !site)
    return {
      ...READ_BACK,
      status: 'skip',
      detail: 'nothing to read back: no SIP connection on the platform yet',
    };
  try {
    const details = await client.getSite(site.id);
    return details
      ? shapeCheck(
          READ_BACK,
          `GET /api/v2/sitelocation/{id}: SIP connection "${details.siteName}" of ${service.shortName}`,
          client.notices().filter((n) => n.endpoint === 'GET /api/v2/sitelocation/{siteLocationId}'),
        )
      : {
          ...READ_BACK,
          status: 'fail',
          detail: `GET /api/v2/sitelocation/${site.id} answered 404 for a site the listing names`,
          hint: 'Report it to the platform vendor: the listing and Get SIP Connection disagree.',
        };
  } catch (error) {
    return readFailure(READ_BACK, error);
  }
}

function listingFailure(error: unknown): Check {
  if (error instanceof RunError && error.code === 'auth-refused')
    return {
      ...LISTING,
      status: 'fail',
      detail: `${error.message} A 401 means the token has expired or was issued for another audience.`,
      hint: 'With client credentials, LPSYNC_SCOPE must be the Live Platform app id followed by /.default; otherwise get a fresh LPSYNC_TOKEN.',
    };
  if (error instanceof ApiError && error.status === 403)
    return {
      ...LISTING,
      status: 'fail',
      detail: `${error.message} (HTTP 403: the token is valid but not allowed to list services in this tenant)`,
      hint: 'Ask the Live Platform administrator to grant the app registration (LPSYNC_CLIENT_ID) access to this tenant.',
    };
  return readFailure(LISTING, error);
}

function readFailure(name: typeof LISTING | typeof READ_BACK, error: unknown): Check {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof ApiError || error instanceof RunError ? error.hint : undefined;
  return { ...name, status: 'fail', detail: message, ...(hint ? { hint } : {}) };
}

/** What was read, and the fields or values the platform sent that lpsync does not know (a warning). */
function shapeCheck(name: typeof LISTING | typeof READ_BACK, found: string, notices: ShapeNotice[]): Check {
  if (notices.length === 0) return { ...name, status: 'ok', detail: `${found}; every field as documented` };
  const unknownFields = notices.filter((n) => n.kind === 'unknown-field').map((n) => n.field);
  const unknownValues = notices
    .filter((n) => n.kind === 'unknown-value')
    .map((n) => `${n.field} = ${n.value ?? ''}`);
  const parts = [
    ...(unknownFields.length ? [`fields lpsync does not know: ${unknownFields.join(', ')}`] : []),
    ...(unknownValues.length ? [`values lpsync does not know: ${unknownValues.join(', ')}`] : []),
  ];
  return {
    ...name,
    status: 'warn',
    detail: `${found}; ${parts.join('; ')}`,
    hint: 'lpsync reads the documented fields and ignores the rest; report the new ones to the lpsync maintainers (run with --verbose for each warning).',
    data: { notices },
  };
}
