import { constant, type Distribution } from '../../engine/index.ts';
import type { StoreOp } from '../core/call.ts';
import { buildDurationDist, type DurationDistSpec } from '../core/dist-spec.ts';
import type { MiddlewareSpec, StepSpec } from './app-schema.ts';
import type { SessionsConfig } from './session-schema.ts';

/**
 * Why an app server calls a store; 'session-*' calls belong to the sessions config
 * (app-session.ts), 'resource' and 'idempotency' calls are REST calls (app-rest.ts).
 */
export type CallPurpose =
  | 'data'
  | 'session'
  | 'session-get'
  | 'session-new'
  | 'session-end'
  | 'cache-get'
  | 'cache-set'
  | 'resource'
  | 'idempotency';

/** Options of a REST call: a resource step's, or a route's idempotency settings. */
export interface RestOpts {
  readonly maxPageSize?: number | undefined;
  readonly concurrent?: '409' | 'wait';
  readonly poll?: number;
  readonly onStoreDown?: '503' | 'proceed';
}

/** A compiled step the app server's interpreter runs; sync ops continue, others wait. */
export type Op =
  | { readonly k: 'cpu'; readonly dist: Distribution }
  | { readonly k: 'io'; readonly dist: Distribution }
  | {
      readonly k: 'call';
      readonly store: string;
      readonly op: StoreOp;
      readonly queryClass: string | undefined;
      readonly timeout: number;
      readonly err: number;
      /**
       * 'session': the key is the session id (or user), and a miss ends with 401. 'session-get',
       * 'session-new', 'session-end': a sessions-config lookup, login and logout (app-session.ts).
       */
      readonly purpose: CallPurpose;
      /** Resource and idempotency calls: what the REST layer needs (app-rest.ts). */
      readonly rest?: RestOpts | undefined;
      readonly ttl: number;
      readonly onMiss: readonly Op[];
      readonly set: boolean;
    }
  | { readonly k: 'par'; readonly branches: readonly (readonly Op[])[] }
  | {
      readonly k: 'local-get';
      /** The miss path, ending with the 'local-set' op when `set`. */
      readonly onMiss: readonly Op[];
      readonly set: boolean;
      readonly ttl: number | undefined;
      readonly by: 'key' | 'user';
    }
  | { readonly k: 'local-set'; readonly ttl: number | undefined; readonly by: 'key' | 'user' }
  | { readonly k: 'respond'; readonly status: number; readonly reason: string }
  | { readonly k: 'enqueue'; readonly store: string }
  | { readonly k: 'fail'; readonly status: number; readonly p: number; readonly reason: string }
  | {
      /** Credentials of the route's scheme present (else 401 with the challenge, before any CPU). */
      readonly k: 'need-creds';
      readonly scheme: 'basic' | 'bearer' | 'session';
      readonly reason: string;
      readonly challenge: string | undefined;
    }
  | {
      /** The credentials are valid (else 401, after the check's CPU). */
      readonly k: 'creds';
      readonly status: number;
      readonly reason: string;
      readonly challenge: string | undefined;
    }
  | { readonly k: 'need-role'; readonly roles: ReadonlySet<string> }
  | {
      /** The request carries the session cookie `name` (else 401, before any CPU). */
      readonly k: 'session-cookie';
      readonly name: string;
    }
  | { readonly k: 'deny-tier'; readonly tiers: ReadonlySet<string> }
  | { readonly k: 'gate'; readonly config: Readonly<Record<string, unknown>> }
  | { readonly k: 'route' }
  | {
      /** A route filter over the `skip` ops that follow it inline (skipped when it fails). */
      readonly k: 'when';
      readonly routes: readonly string[];
      readonly skip: number;
      /** This filter's number in the pipeline (its slot in RouteInfo.filters). */
      readonly index: number;
    };

const dist = (spec: DurationDistSpec | undefined, fallback: number): Distribution =>
  spec === undefined ? constant(fallback) : buildDurationDist(spec);

/** A store-call op with defaults for what `extra` leaves out. */
export function callOp(
  store: string,
  op: StoreOp,
  purpose: CallPurpose,
  extra: Partial<{
    rest: RestOpts;
    queryClass: string;
    timeout: number;
    err: number;
    ttl: number;
    onMiss: Op[];
    set: boolean;
  }>,
): Op {
  return {
    k: 'call',
    store,
    op,
    purpose,
    queryClass: extra.queryClass,
    timeout: extra.timeout ?? 0,
    err: extra.err ?? 0,
    ttl: extra.ttl ?? 0,
    onMiss: extra.onMiss ?? [],
    set: extra.set ?? false,
    ...(extra.rest === undefined ? {} : { rest: extra.rest }),
  };
}

/** The call that claims a request's Idempotency-Key before a route's handler runs. */
export function idempotencyOp(store: string, rest: RestOpts): Op {
  return callOp(store, 'get', 'idempotency', { queryClass: 'begin', rest });
}

/** Compiles handler steps (recursively) to ops. */
export function compileSteps(steps: readonly StepSpec[]): Op[] {
  return steps.flatMap((s): Op | Op[] => {
    if ('cpu' in s) {
      const cpu: Op = { k: 'cpu', dist: buildDurationDist(s.cpu) };
      if (s.errorProbability === 0) return cpu;
      return [cpu, { k: 'fail', status: 500, p: s.errorProbability, reason: 'handler-error' }];
    }
    if ('io' in s) return { k: 'io', dist: buildDurationDist(s.io) };
    if ('call' in s) {
      return callOp(s.call, s.op, 'data', {
        ...(s.queryClass === undefined ? {} : { queryClass: s.queryClass }),
        ...(s.timeout === undefined ? {} : { timeout: s.timeout }),
        err: s.errorProbability,
      });
    }
    if ('parallel' in s) {
      return {
        k: 'par',
        branches: s.parallel.map((b) => compileSteps(Array.isArray(b) ? b : [b])),
      };
    }
    if ('cache' in s) {
      return callOp(s.cache, 'get', 'cache-get', {
        ...(s.timeout === undefined ? {} : { timeout: s.timeout }),
        ...(s.ttl === undefined ? {} : { ttl: s.ttl }),
        onMiss: compileSteps(s.onMiss),
        set: s.set,
      });
    }
    if ('localCache' in s) {
      const onMiss = compileSteps(s.onMiss);
      if (s.set) onMiss.push({ k: 'local-set', ttl: s.ttl, by: s.by });
      return { k: 'local-get', onMiss, set: s.set, ttl: s.ttl, by: s.by };
    }
    if ('resource' in s) {
      const action = s.action === 'list' && s.totalCount ? 'list-count' : s.action;
      return callOp(s.resource, 'query', 'resource', {
        queryClass: action,
        ...(s.timeout === undefined ? {} : { timeout: s.timeout }),
        rest: s.maxPageSize === undefined ? {} : { maxPageSize: s.maxPageSize },
      });
    }
    if ('respond' in s) return { k: 'respond', status: s.respond, reason: 'respond' };
    if ('enqueue' in s) return { k: 'enqueue', store: s.enqueue };
    return { k: 'fail', status: s.fail, p: s.probability, reason: 'fail' };
  });
}

/** The op that stores a cache-aside value after a miss. */
export function cacheSetOp(store: string, ttl: number, timeout: number): Op {
  return callOp(store, 'set', 'cache-set', { ttl, timeout });
}

const JWT_COST: Readonly<Record<string, number>> = { HS256: 5, RS256: 50, ES256: 150 };

/** bcrypt verify at cost 12 on a server core, µs (research: 0.1–0.5 s; OWASP: cost ≥ 10). */
const BCRYPT_COST_12 = 250_000;

/**
 * The credentials each auth kind reads: basic and password a username and password (password:
 * in a login form; the mix says `basic` for both), jwt a bearer token, session the cookie.
 */
const SCHEME: Readonly<Record<string, 'basic' | 'bearer' | 'session'>> = {
  basic: 'basic',
  password: 'basic',
  jwt: 'bearer',
  session: 'session',
};

/** The WWW-Authenticate challenge a 401 of each kind carries (RFC 7617, RFC 6750). */
const CHALLENGE: Readonly<Record<string, (realm: string) => string>> = {
  basic: (realm) => `Basic realm="${realm}"`,
  jwt: (realm) => `Bearer realm="${realm}"`,
};

function wrap(routes: readonly string[] | undefined, ops: Op[], filters: { n: number }): Op[] {
  return routes === undefined
    ? ops
    : [{ k: 'when', routes, skip: ops.length, index: filters.n++ }, ...ops];
}

/** Compiles the middleware chain to ops, ending with the router dispatch. */
export function compileMiddleware(
  chain: readonly MiddlewareSpec[],
  sessions?: SessionsConfig,
): Op[] {
  const out: Op[] = [];
  const filters = { n: 0 };
  for (const m of chain) {
    if ('logging' in m) {
      out.push(...wrap(m.logging.routes, [{ k: 'cpu', dist: dist(m.logging.cost, 20) }], filters));
    } else if ('auth' in m) {
      const a = m.auth;
      const challenge = CHALLENGE[a.kind]?.(a.realm);
      const scheme = SCHEME[a.kind] ?? 'basic';
      const ops: Op[] = [{ k: 'need-creds', scheme, reason: `auth-${a.kind}-missing`, challenge }];
      const invalid = a.kind === 'jwt' ? `${challenge}, error="invalid_token"` : challenge;
      const creds: Op = { k: 'creds', status: 401, reason: `auth-${a.kind}`, challenge: invalid };
      if (a.kind === 'session' && sessions !== undefined) {
        // Cookie sessions: the cookie names the session; the store says whether it lives.
        ops[0] = { k: 'session-cookie', name: sessions.cookie.name };
        const timeout = sessions.timeout === undefined ? {} : { timeout: sessions.timeout };
        ops.push(
          { k: 'cpu', dist: dist(a.cost, 10) },
          callOp(a.store ?? sessions.store, 'get', 'session-get', timeout),
        );
      } else if (a.kind === 'session') {
        ops.push({ k: 'cpu', dist: dist(a.cost, 10) }, creds);
        if (a.store !== undefined) {
          ops.push(
            callOp(
              a.store,
              'get',
              'session',
              a.timeout === undefined ? {} : { timeout: a.timeout },
            ),
          );
        }
      } else if (a.kind === 'jwt') {
        ops.push({ k: 'cpu', dist: dist(a.cost, JWT_COST[a.algorithm] ?? 50) }, creds);
      } else {
        // basic re-checks the password hash on every request, exactly like a login form.
        ops.push({ k: 'cpu', dist: dist(a.cost, BCRYPT_COST_12) }, creds);
      }
      out.push(...wrap(a.routes, ops, filters));
    } else if ('authorization' in m) {
      const z = m.authorization;
      out.push(
        ...wrap(
          z.routes,
          [
            { k: 'cpu', dist: dist(z.cost, 5) },
            { k: 'deny-tier', tiers: new Set(z.denyTiers) },
            ...(z.roles === undefined
              ? []
              : [{ k: 'need-role', roles: new Set(z.roles) } as const]),
            { k: 'fail', status: 403, p: z.denyProbability, reason: 'forbidden' },
          ],
          filters,
        ),
      );
    } else if ('validation' in m) {
      const v = m.validation;
      out.push(
        ...wrap(
          v.routes,
          [
            { k: 'cpu', dist: dist(v.cost, 20) },
            { k: 'fail', status: 400, p: v.badRequest, reason: 'bad-request' },
            { k: 'fail', status: 415, p: v.unsupportedMediaType, reason: 'unsupported-media-type' },
            { k: 'fail', status: 422, p: v.unprocessable, reason: 'unprocessable' },
          ],
          filters,
        ),
      );
    } else {
      out.push(...wrap(m.rateLimit.routes, [{ k: 'gate', config: m.rateLimit }], filters));
    }
  }
  out.push({ k: 'route' });
  return out;
}
