import type { HttpRequest } from '../http/messages.ts';
import type { RouteSpec } from './app-schema.ts';
import { compileSteps, type Op } from './ops.ts';

/** A compiled route: its matcher, handler ops and the status a success produces. */
export interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly pattern: RegExp;
  readonly ops: readonly Op[];
  readonly status: number;
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
    if (spec.conflictProbability > 0 && WRITES.has(spec.method)) {
      ops.push({ k: 'fail', status: 409, p: spec.conflictProbability, reason: 'conflict' });
    }
    return { spec, pattern: templatePattern(spec.route), ops, status: successStatus(spec) };
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

/** A filter's verdicts so far: method → route → whether it matches (one per middleware step). */
export type RouteFilterMemo = Map<string, Map<string, boolean>>;

/** Whether a `routes` filter (entries "/login" or "POST /login") covers the request (memoised). */
export function routeFilterMatches(
  filter: readonly string[],
  req: HttpRequest,
  memo: RouteFilterMemo,
): boolean {
  let byRoute = memo.get(req.method);
  if (byRoute === undefined) {
    byRoute = new Map();
    memo.set(req.method, byRoute);
  }
  let hit = byRoute.get(req.route);
  if (hit === undefined) {
    hit = filterCovers(filter, req.method, req.route);
    byRoute.set(req.route, hit);
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
