import type { ServiceSummary, SiteSummary } from '../api/types.js';

/**
 * Maps over the listing so that matching is linear in rows + services: exact (after trim)
 * and lower-cased keys, the latter only to tell a letter-case mismatch from a missing name.
 */
export interface NameIndex<T> {
  exact: Map<string, T>;
  folded: Map<string, T>;
}

/** A lookup's outcome: found, found under another spelling (letter case only), or missing. */
export type Lookup<T> =
  { kind: 'found'; value: T } | { kind: 'case-only'; value: T; spelling: string } | { kind: 'missing' };

export function buildNameIndex<T>(items: Iterable<T>, nameOf: (item: T) => string): NameIndex<T> {
  const exact = new Map<string, T>();
  const folded = new Map<string, T>();
  for (const item of items) {
    const name = nameOf(item).trim();
    // The first of two equal names wins; the listing should not hold duplicates.
    if (!exact.has(name)) exact.set(name, item);
    const key = name.toLowerCase();
    if (!folded.has(key)) folded.set(key, item);
  }
  return { exact, folded };
}

export function lookup<T>(index: NameIndex<T>, name: string, nameOf: (item: T) => string): Lookup<T> {
  const key = name.trim();
  const hit = index.exact.get(key);
  if (hit !== undefined) return { kind: 'found', value: hit };
  const near = index.folded.get(key.toLowerCase());
  if (near !== undefined) return { kind: 'case-only', value: near, spelling: nameOf(near).trim() };
  return { kind: 'missing' };
}

/** The listing indexed by short name, and each service's sites by name (built on first use). */
export class ServiceIndex {
  readonly services: NameIndex<ServiceSummary>;
  private readonly sitesByService = new Map<string, NameIndex<SiteSummary>>();

  constructor(services: readonly ServiceSummary[]) {
    this.services = buildNameIndex(services, (s) => s.shortName);
  }

  service(shortName: string): Lookup<ServiceSummary> {
    return lookup(this.services, shortName, (s) => s.shortName);
  }

  site(service: ServiceSummary, siteName: string): Lookup<SiteSummary> {
    let index = this.sitesByService.get(service.customerGuid);
    if (!index) {
      index = buildNameIndex(service.sites, (s) => s.name);
      this.sitesByService.set(service.customerGuid, index);
    }
    return lookup(index, siteName, (s) => s.name);
  }
}
