/**
 * Drift: what the Live Platform has that the sheet does not name, found from the planned actions
 * after planning. Listed in the report, never touched (nothing is ever deleted).
 */
import { ServiceIndex } from './service-index.js';
import type { DriftItem, ObservedState, PlannedAction } from './types.js';

/** What an action (or any row of a workbook) names: a service, and maybe one of its SIP connections. */
export type NamedTarget = Pick<PlannedAction, 'customerShortName' | 'siteName'>;

/**
 * The services no action names, and the SIP connections no action names of the services that are
 * named. An action names what its short name and site name match in the listing, as the planner
 * matched them (exactly, or in another letter case); a service named only in another letter case
 * is a conflict already, so its sites are not drift either. Pure; linear in actions + sites.
 */
export function findDrift(
  observed: ObservedState,
  actions: readonly NamedTarget[],
  index = new ServiceIndex(observed.services),
): DriftItem[] {
  const named = namedBy(actions, index);
  const drift: DriftItem[] = [];
  index.services.forEach((service, at) => {
    if (!named.services[at]) {
      const sites = service.sites.length;
      drift.push({
        kind: 'service',
        customerShortName: service.shortName,
        customerGuid: service.customerGuid,
        message: `service "${service.shortName}" (LicenseType ${service.licenseType ?? '?'}, ${sites} SIP connection${sites === 1 ? '' : 's'}) is on the Live Platform but not in the sheet; left alone`,
      });
      return;
    }
    if (named.caseOnlyServices[at]) return;
    service.sites.forEach((site, k) => {
      if (named.sites[index.siteSlot(at, k)]) return;
      drift.push({
        kind: 'site',
        customerShortName: service.shortName,
        customerGuid: service.customerGuid,
        siteName: site.name,
        siteId: site.id,
        message: `SIP connection "${site.name}" of service "${service.shortName}" is on the Live Platform but not in the sheet; left alone`,
      });
    });
  });
  return drift;
}

/** What the actions name: services by place in the listing, sites by slot (see ServiceIndex). */
interface Named {
  services: Uint8Array;
  /** Services named only in another letter case. */
  caseOnlyServices: Uint8Array;
  sites: Uint8Array;
}

function namedBy(actions: readonly NamedTarget[], index: ServiceIndex): Named {
  const named: Named = {
    services: new Uint8Array(index.services.length),
    caseOnlyServices: new Uint8Array(index.services.length),
    sites: new Uint8Array(index.siteCount),
  };
  for (const action of actions) {
    const service = index.service(action.customerShortName);
    if (service.kind === 'missing') continue;
    named.services[service.at] = 1;
    if (service.kind === 'case-only') named.caseOnlyServices[service.at] = 1;
    else if (action.siteName !== undefined) {
      const site = index.site(service.at, action.siteName);
      if (site.kind !== 'missing') named.sites[site.at] = 1;
    }
  }
  return named;
}
