import type { ServiceSummary, SiteSummary } from '../api/types.js';

/**
 * A name's match in a list, with its place there (for a site: its slot among all listed sites):
 * found, found under another spelling (letter case only), or missing.
 */
export type Match<T> =
  | { kind: 'found'; value: T; at: number }
  | { kind: 'case-only'; value: T; spelling: string; at: number }
  | { kind: 'missing' };

const MISSING: Match<never> = Object.freeze({ kind: 'missing' });

/**
 * Names to places in a list, so that matching is linear in rows + services: exact (after trim),
 * and lower-cased only to tell a letter-case mismatch from a missing name. The lower-cased map is
 * built when a name is first not found exactly: a nightly run finds every name and never needs it.
 * Of two equal names the first wins (the listing should not hold duplicates).
 */
export class NameIndex<T> {
  private readonly exact: Map<string, number>;
  private folded: Map<string, number> | undefined;

  constructor(
    private readonly items: readonly T[],
    private readonly nameOf: (item: T) => string,
  ) {
    this.exact = this.build((name) => name);
  }

  /** `items[k]` named `name` (trimmed; `first` is added to the place, for site slots). */
  match(name: string, first = 0): Match<T> {
    const key = name.trim();
    const at = this.exact.get(key);
    if (at !== undefined) return { kind: 'found', value: this.items[at]!, at: first + at };
    this.folded ??= this.build((n) => n.toLowerCase());
    const near = this.folded.get(key.toLowerCase());
    if (near === undefined) return MISSING;
    const value = this.items[near]!;
    return { kind: 'case-only', value, spelling: this.nameOf(value).trim(), at: first + near };
  }

  private build(keyOf: (trimmed: string) => string): Map<string, number> {
    const map = new Map<string, number>();
    // Backwards, so that the first of equal names is the one left: one map write per item.
    for (let k = this.items.length - 1; k >= 0; k--) map.set(keyOf(this.nameOf(this.items[k]!).trim()), k);
    return map;
  }
}

/**
 * A service's sites up to this many are matched by reading them in order (no Maps to build for the
 * one or two sites most services have); more than this, by a NameIndex built on first use.
 */
const SCAN_SITES = 8;

const serviceName = (s: ServiceSummary) => s.shortName;
const siteName = (s: SiteSummary) => s.name;

/**
 * The listing indexed by short name, and each service's sites by name. Services and sites are
 * numbered (a service by its place in the listing, a site by a slot), so that a planner can mark
 * what the sheet names in arrays instead of sets of GUIDs.
 */
export class ServiceIndex {
  readonly services: readonly ServiceSummary[];
  /** How many sites the listing holds: site slots are 0 … siteCount - 1. */
  readonly siteCount: number;
  private readonly byName: NameIndex<ServiceSummary>;
  /** Slot of each service's first site; a site's slot is that plus its place in `service.sites`. */
  private readonly firstSite: Int32Array;
  private readonly sitesByService = new Map<number, NameIndex<SiteSummary>>();

  constructor(services: readonly ServiceSummary[]) {
    this.services = services;
    this.byName = new NameIndex(services, serviceName);
    this.firstSite = new Int32Array(services.length);
    let slots = 0;
    for (let at = 0; at < services.length; at++) {
      this.firstSite[at] = slots;
      slots += services[at]!.sites.length;
    }
    this.siteCount = slots;
  }

  service(shortName: string): Match<ServiceSummary> {
    return this.byName.match(shortName);
  }

  /** The slot of the `k`th site of the service at `serviceAt`. */
  siteSlot(serviceAt: number, k: number): number {
    return this.firstSite[serviceAt]! + k;
  }

  /** A site of the service at `serviceAt` (its place in the listing), by name. */
  site(serviceAt: number, name: string): Match<SiteSummary> {
    const sites = this.services[serviceAt]!.sites;
    const first = this.firstSite[serviceAt]!;
    if (sites.length > SCAN_SITES) {
      let index = this.sitesByService.get(serviceAt);
      if (!index) {
        index = new NameIndex(sites, siteName);
        this.sitesByService.set(serviceAt, index);
      }
      return index.match(name, first);
    }
    // The same answer as a NameIndex: the first exact name, else the first in another letter case.
    const key = name.trim();
    for (let k = 0; k < sites.length; k++)
      if (sites[k]!.name.trim() === key) return { kind: 'found', value: sites[k]!, at: first + k };
    const folded = key.toLowerCase();
    for (let k = 0; k < sites.length; k++) {
      const spelling = sites[k]!.name.trim();
      if (spelling.toLowerCase() === folded)
        return { kind: 'case-only', value: sites[k]!, spelling, at: first + k };
    }
    return MISSING;
  }
}
