/** The route table: which handler answers which method and path pattern. */

export type RouteKind = 'api' | 'token' | 'sim';

export interface Route<H> {
  method: string;
  /** As counted in `counters.requests`, e.g. `/api/v2/sitelocation/{siteId}`. */
  pattern: string;
  kind: RouteKind;
  handler: H;
}

export type Match<H> =
  | { found: true; route: Route<H>; params: Record<string, string> }
  | { found: false; status: 404 | 405; allow: string[] };

interface Compiled<H> {
  route: Route<H>;
  regex: RegExp;
  names: string[];
}

export interface Router<H> {
  match(method: string, path: string): Match<H>;
}

export function createRouter<H>(routes: Array<Route<H>>): Router<H> {
  const compiled: Array<Compiled<H>> = routes.map((route) => {
    const names: string[] = [];
    const source = route.pattern
      .split('/')
      .map((part) => {
        const param = /^\{(\w+)\}$/.exec(part);
        if (!param?.[1]) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(param[1]);
        return '([^/]+)';
      })
      .join('/');
    return { route, regex: new RegExp(`^${source}$`, 'i'), names };
  });
  return {
    match(method, rawPath) {
      const path = normalisePath(rawPath);
      const allow: string[] = [];
      for (const c of compiled) {
        const m = c.regex.exec(path);
        if (!m) continue;
        if (c.route.method !== method) {
          allow.push(c.route.method);
          continue;
        }
        const params: Record<string, string> = {};
        c.names.forEach((name, i) => (params[name] = decodeSegment(m[i + 1] ?? '')));
        return { found: true, route: c.route, params };
      }
      return allow.length > 0 ? { found: false, status: 405, allow } : { found: false, status: 404, allow };
    },
  };
}

// A malformed escape (`%zz`) is kept as sent: it then matches no customer or site and answers 404.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Real base URLs end in `/tenantui`: the route table is matched without it (`tenantuiOnly` requires it); trailing slashes do not matter. */
export function normalisePath(path: string): string {
  let p = path.replace(/^\/tenantui(?=\/|$)/i, '');
  p = p.replace(/\/+$/, '');
  return p === '' ? '/' : p;
}

/** Faults and auth apply to everything under /api, known route or not; /_sim is the test harness. */
export function kindOfPath(path: string): RouteKind {
  const p = normalisePath(path);
  if (/^\/api(\/|$)/i.test(p)) return 'api';
  if (/^\/_sim(\/|$)/i.test(p)) return 'sim';
  return 'token';
}
