/**
 * What `export` writes, from the listing alone: the services `--only` selects, and with `--not-in` only
 * what that workbook does not name (the drift, as plan finds it): a service it does not name whole, a SIP
 * connection of a service it names as a SipConnections row. A service of a licence kind the template has
 * no word for is left out, with the reason.
 */
import type { ServiceSummary, SiteSummary } from '../api/types.js';
import { RunError } from '../model/errors.js';
import { findDrift, type NamedTarget } from '../plan/drift.js';
import { parseSelector } from '../plan/shape.js';
import { primarySiteIndex } from '../report/tenant-facts.js';

/** A service's part of the export: its Customers row (with its primary site) and its SipConnections rows. */
export interface SelectedService {
  service: ServiceSummary;
  /** The service's own row, unless `--not-in` names it. */
  customerRow: boolean;
  /** The site its Customers row holds (none when it has no site, or no Customers row). */
  primary: SiteSummary | undefined;
  /** Its sites written on SipConnections, in listing order. */
  sites: SiteSummary[];
}

export interface LeftOut {
  customerShortName: string;
  reason: string;
}

/** `customer:GLOB` selectors (plan's `--only` syntax); a row or action selector means nothing to an export. */
export function exportSelectors(only: readonly string[]): RegExp[] {
  return only.map((text) => {
    const selector = parseSelector(text);
    if (selector.kind !== 'customer')
      throw new RunError(
        'invalid-options',
        `Invalid --only ${text}: export selects services by name only (customer:NAME, a glob such as customer:Contoso*)`,
      );
    return selector.pattern;
  });
}

const LICENSE_TYPES = new Set([2, 3]);

function whole(service: ServiceSummary): SelectedService {
  const at = primarySiteIndex(service);
  return {
    service,
    customerRow: true,
    primary: at === undefined ? undefined : service.sites[at],
    sites: service.sites.filter((_, k) => k !== at),
  };
}

export function selectExport(
  services: readonly ServiceSummary[],
  options: { only: readonly RegExp[]; named?: readonly NamedTarget[] },
): { selected: SelectedService[]; leftOut: LeftOut[] } {
  const leftOut: LeftOut[] = [];
  const wanted = services.filter((s) => {
    if (options.only.length && !options.only.some((p) => p.test(s.shortName))) return false;
    if (s.licenseType !== null && LICENSE_TYPES.has(s.licenseType)) return true;
    leftOut.push({
      customerShortName: s.shortName,
      reason: `LicenseType ${s.licenseType ?? 'missing'} is neither Essentials (2) nor OC Essentials (3): the template has no row for it`,
    });
    return false;
  });
  if (!options.named) return { selected: wanted.map(whole), leftOut };
  const drift = findDrift({ services: [...services], sites: new Map() }, options.named);
  const unnamed = new Set(drift.filter((d) => d.kind === 'service').map((d) => d.customerGuid));
  const unnamedSites = new Set(drift.flatMap((d) => (d.kind === 'site' && d.siteId ? [d.siteId] : [])));
  const selected: SelectedService[] = [];
  for (const service of wanted) {
    if (unnamed.has(service.customerGuid)) selected.push(whole(service));
    else {
      const sites = service.sites.filter((site) => unnamedSites.has(site.id));
      if (sites.length) selected.push({ service, customerRow: false, primary: undefined, sites });
    }
  }
  return { selected, leftOut };
}
