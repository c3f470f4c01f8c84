import pLimit, { type LimitFunction } from 'p-limit';
import type { LivePlatform, SiteDetails } from '../api/types.js';
import type { WorkbookRows } from '../model/types.js';
import { ServiceIndex } from './service-index.js';
import type { ObservedState } from './types.js';

/**
 * What the Live Platform has now: one listing with all details, then Get SIP Connection for
 * every EXISTING site the sheet names (a customer's primary site and each SipConnections row),
 * concurrently under the given limiter (the apply limiter, or a concurrency number). Nothing else.
 */
export async function readObservedState(
  client: Pick<LivePlatform, 'listServices' | 'getSite'>,
  rows: WorkbookRows,
  limit: LimitFunction | number,
): Promise<ObservedState> {
  const services = await client.listServices({ allDetails: true });
  const ids = namedSiteIds(new ServiceIndex(services), rows);
  const run = typeof limit === 'number' ? pLimit(limit) : limit;
  const sites = new Map<string, SiteDetails>();
  await Promise.all(
    [...ids].map((id) =>
      run(async () => {
        const details = await client.getSite(id);
        if (details) sites.set(id, details);
      }),
    ),
  );
  return { services, sites };
}

/** Ids of the sites the sheet names that exist with exactly that name; deduplicated. */
export function namedSiteIds(index: ServiceIndex, rows: WorkbookRows): Set<string> {
  const ids = new Set<string>();
  const visit = (shortName: string, siteName: string): void => {
    const service = index.service(shortName);
    if (service.kind !== 'found') return;
    const site = index.site(service.at, siteName);
    if (site.kind === 'found') ids.add(site.value.id);
  };
  for (const row of rows.customers) visit(row.shortName, row.siteName);
  for (const row of rows.sites) visit(row.customerShortName, row.siteName);
  return ids;
}
