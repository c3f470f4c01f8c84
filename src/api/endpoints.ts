/**
 * The customer (service) and site endpoints of `LivePlatform`: each names its request, its endpoint
 * (as the shape notices and the vendor pages do) and its parser.
 */
import type { Redactor } from '../model/redact.js';
import { segment, type EndpointCalls } from './endpoint-call.js';
import { ApiError } from './errors.js';
import {
  parseCreateCustomer,
  parseJobId,
  parseService,
  parseServiceList,
  parseSiteDetails,
  parseSiteWrite,
} from './schemas.js';
import type { LivePlatform } from './types.js';

type CustomerEndpoints = Pick<
  LivePlatform,
  'createCustomer' | 'createOcService' | 'listServices' | 'getService'
>;

/** The customer endpoints; `baseUrl` is named (redacted) when the list of services is missing. */
export function customerEndpoints(
  calls: EndpointCalls,
  baseUrl: string,
  redactor: Pick<Redactor, 'text'>,
): CustomerEndpoints {
  return {
    createCustomer: (body) =>
      calls.write({ method: 'POST', path: '/api/v2/customer', body }, 'POST /api/v2/customer', (json) =>
        parseCreateCustomer(json, body.shortName),
      ),
    createOcService: async (body) =>
      calls.write({ method: 'POST', path: '/api/v3/customer', body }, 'POST /api/v3/customer', (json) => {
        const id = parseJobId(json);
        return id.ok ? { ok: true, value: { jobId: id.value } } : id;
      }),
    listServices: async ({ allDetails = false } = {}) => {
      try {
        return (
          (await calls.read(
            { method: 'GET', path: `/api/v3/customer?allDetails=${allDetails}` },
            'GET /api/v3/customer',
            parseServiceList,
          )) ?? []
        );
      } catch (error) {
        throw wrongBaseUrl(error, redactor.text(baseUrl));
      }
    },
    getService: (customerGuid) =>
      calls.read(
        { method: 'GET', path: `/api/v3/customer/${segment(customerGuid)}?allDetails=true` },
        'GET /api/v3/customer/{customerGuid}',
        parseService,
        true,
      ),
  };
}

/** The site (SIP connection) endpoints. */
export function siteEndpoints(
  calls: EndpointCalls,
): Pick<LivePlatform, 'addSite' | 'modifySite' | 'getSite'> {
  return {
    addSite: (customerGuid, body) =>
      calls.write(
        { method: 'POST', path: `/api/v2/customer/${segment(customerGuid)}/sitelocation/`, body },
        'POST /api/v2/customer/{customerGuid}/sitelocation/',
        (json) => parseSiteWrite(json, customerGuid),
      ),
    modifySite: (customerGuid, siteGuid, body) =>
      calls.write(
        {
          method: 'PATCH',
          path: `/api/v2/customer/${segment(customerGuid)}/sitelocation/?sbcSiteGuid=${segment(siteGuid)}`,
          body,
          // A PATCH of the same values: sending it again after a lost answer changes nothing more.
          repeatable: true,
        },
        'PATCH /api/v2/customer/{customerGuid}/sitelocation/',
        (json) => parseSiteWrite(json, customerGuid),
      ),
    getSite: (siteId) =>
      calls.read(
        { method: 'GET', path: `/api/v2/sitelocation/${segment(siteId)}` },
        'GET /api/v2/sitelocation/{siteLocationId}',
        (json) => parseSiteDetails(json, siteId),
        true,
      ),
  };
}

/**
 * The list of services always exists: a 404 or 405 for it means the base URL is not the API's,
 * which the person must be told instead of "the customer does not exist".
 */
function wrongBaseUrl(error: unknown, baseUrl: string): unknown {
  if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405)) return error;
  const hint = `Check --base-url (${baseUrl}): it must be the provider host followed by /tenantui, e.g. https://lp.example.com/tenantui.`;
  // The answer's body (often a web server's HTML page) would bury the advice: status and path say enough.
  return error.rephrased(
    `${error.method} ${error.path} answered ${error.status}: the list of services cannot be missing, so this is not the Live Platform API.`,
    { hint, settings: ['baseUrl'] },
  );
}
