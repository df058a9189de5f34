import type { HttpRequest, ResponseHeaders } from '../http/messages.ts';
import { cacheHeaders } from './app-local.ts';
import type { RouteSpec } from './app-schema.ts';
import { compileSteps, idempotencyOp, type Op } from './ops.ts';

/** A compiled route: its matcher, handler ops and the status a success produces. */
export interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly pattern: RegExp;
  readonly ops: readonly Op[];
  readonly status: number;
  /** ETag / max-age the route's answers carry (shared by them), if any. */
  readonly cacheHeaders: ResponseHeaders | undefined;
}

/** The router's decision for one request. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: CompiledRoute }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] };

const escapeRe = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** Turns '/product/{key}' into a regex matching both the template and concrete paths. */
export function templatePattern(template: string): RegExp {
  const parts = template
    .split(/(\{[^}]*\})/)
    .map((p) => (p.startsWith('{') ? '(?:[^/]+)' : escapeRe(p)));
  return new RegExp(`^${parts.join('')}$`);
}

const PATTERNS = new Map<string, RegExp>();

/** templatePattern() memoised: route filters are checked on every request. */
function cachedPattern(template: string): RegExp {
  let re = PATTERNS.get(template);
  if (re === undefined) {
    re = templatePattern(template);
    PATTERNS.set(template, re);
  }
  return re;
}

const WRITES: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function successStatus(spec: RouteSpec): number {
  if (spec.status !== undefined) return spec.status;
  if (spec.steps.some((s) => 'enqueue' in s)) return 202;
  return spec.method === 'POST' ? 201 : 200;
}

/** Compiles the routes of an app server, in declaration order. */
export function compileRoutes(routes: readonly RouteSpec[]): CompiledRoute[] {
  return routes.map((spec) => {
    const ops = compileSteps(spec.steps);
    const idem = spec.idempotency;
    if (idem !== undefined) {
      const { store, concurrent, poll, onStoreDown } = idem;
      ops.unshift(idempotencyOp(store, { concurrent, poll, onStoreDown }));
    }
    if (spec.conflictProbability > 0 && WRITES.has(spec.method)) {
      ops.push({ k: 'fail', status: 409, p: spec.conflictProbability, reason: 'conflict' });
    }
    const headers =
      spec.etag === undefined && spec.maxAge === undefined
        ? undefined
        : Object.freeze(cacheHeaders(spec));
    return {
      spec,
      pattern: templatePattern(spec.route),
      ops,
      status: successStatus(spec),
      cacheHeaders: headers,
    };
  });
}

/** Matches by route template, then by method: 404 for an unknown route, 405 for a wrong method. */
export function matchRoute(routes: readonly CompiledRoute[], req: HttpRequest): RouteMatch {
  const allow: string[] = [];
  for (const r of routes) {
    if (!r.pattern.test(req.route)) continue;
    if (r.spec.method === req.method || (req.method === 'HEAD' && r.spec.method === 'GET')) {
      return { kind: 'found', route: r };
    }
    allow.push(r.spec.method);
  }
  return allow.length === 0 ? { kind: 'not-found' } : { kind: 'method-not-allowed', allow };
}

/** Distinct routes remembered per method; past that, verdicts are computed each time. */
const MEMO_ROUTES = 4096;

/**
 * Verdicts by method → route. Routes are usually a few templates, but a replayed log can carry
 * any number of concrete paths, so the memo stops growing at MEMO_ROUTES per method.
 */
export class RouteMemo<T> {
  private readonly byMethod = new Map<string, Map<string, T>>();

  get(method: string, route: string): T | undefined {
    return this.byMethod.get(method)?.get(route);
  }

  set(method: string, route: string, value: T): void {
    let byRoute = this.byMethod.get(method);
    if (byRoute === undefined) {
      byRoute = new Map();
      this.byMethod.set(method, byRoute);
    }
    if (byRoute.size < MEMO_ROUTES) byRoute.set(route, value);
  }
}

/**
 * What an app server decides from a request's method and route alone: the router's match and,
 * filled in as the middleware reaches them, the verdicts of its route filters (by `when` index).
 * Shared by all requests with that method and route.
 */
export interface RouteInfo {
  readonly match: RouteMatch;
  readonly filters: (boolean | undefined)[];
}

/** The RouteInfo of `req`, from `memo` or made now (and kept while the memo has room). */
export function routeInfo(
  routes: readonly CompiledRoute[],
  req: HttpRequest,
  memo: RouteMemo<RouteInfo>,
): RouteInfo {
  let info = memo.get(req.method, req.route);
  if (info === undefined) {
    info = { match: matchRoute(routes, req), filters: [] };
    memo.set(req.method, req.route, info);
  }
  return info;
}

/** Whether route filter `index` (entries "/login" or "POST /login") covers the request. */
export function filterMatches(
  info: RouteInfo,
  index: number,
  filter: readonly string[],
  req: HttpRequest,
): boolean {
  let hit = info.filters[index];
  if (hit === undefined) {
    hit = filterCovers(filter, req.method, req.route);
    info.filters[index] = hit;
  }
  return hit;
}

function filterCovers(filter: readonly string[], reqMethod: string, route: string): boolean {
  for (const f of filter) {
    const space = f.indexOf(' ');
    const method = space < 0 ? undefined : f.slice(0, space);
    const template = space < 0 ? f : f.slice(space + 1);
    if (method !== undefined && method !== reqMethod) continue;
    if (template === route || cachedPattern(template).test(route)) return true;
  }
  return false;
}
