import { z } from 'zod';
import type { SimTime } from '../../engine/index.ts';
import type { HttpRequest, ResponseHeaders } from '../http/messages.ts';
import { Limiter, limiterFields } from './limiter.ts';
import { ALGORITHM_NAMES } from './spec.ts';

/**
 * The app-server middleware contract (models/server/gate.ts in the servers family), repeated
 * here so this file type-checks on its own; any object of this shape can be a gate.
 */
export interface RequestGate {
  admit(
    req: HttpRequest,
    now: SimTime,
  ): { allowed: boolean; status?: number; headers?: ResponseHeaders; delay?: SimTime };
  complete?(req: HttpRequest, now: SimTime, status: number, latency: SimTime): void;
}

/** Config of the rate-limit middleware: the limiter fields (local state, per app instance). */
export const rateLimitGateSchema = z.strictObject(limiterFields);

/** A rate-limit gate: RequestGate plus completion feedback and access to its limiter. */
export interface RateLimitGate extends RequestGate {
  /** Call when an admitted request finished (login lockout, adaptive concurrency). */
  complete(req: HttpRequest, now: SimTime, status: number, latency: SimTime): void;
  readonly limiter: Limiter;
}

/**
 * Builds rate-limit middleware for one app-server instance. State is local to the instance,
 * so N replicas admit N times the configured limit in total (see docs/models/rate-limiting.md).
 */
export function createGate(config: z.input<typeof rateLimitGateSchema> | Limiter): RateLimitGate {
  const limiter =
    config instanceof Limiter ? config : new Limiter(rateLimitGateSchema.parse(config));
  // Requests this gate admitted and not yet completed: the server may report every request
  // that reached the gate, but only admitted ones were counted in flight (adaptive limits).
  const admitted = new Set<number>();
  return {
    limiter,
    admit(req, now) {
      const v = limiter.admit(req, now);
      if (v.allowed) admitted.add(req.id);
      const out: { allowed: boolean; status?: number; headers?: ResponseHeaders; delay?: SimTime } =
        {
          allowed: v.allowed,
        };
      if (v.status !== undefined) out.status = v.status;
      if (v.headers !== undefined) out.headers = v.headers;
      if (v.delay !== undefined && v.delay > 0) out.delay = v.delay;
      return out;
    },
    complete(req, now, status, latency) {
      if (!admitted.delete(req.id)) return;
      limiter.complete(req, now, status, latency);
    },
  };
}

/** The shape of models/server/gate.ts GateKind, repeated so this file stands alone. */
export interface RateLimitGateKind {
  readonly algorithm: string;
  build(config: Readonly<Record<string, unknown>>): RequestGate;
  check(config: Readonly<Record<string, unknown>>): { path: PropertyKey[]; message: string }[];
}

const LIMITER_KEYS = new Set(['key', 'tiers', 'status', 'headers', 'lockout', 'dryRun']);

/**
 * One gate kind per algorithm, for the app server's `{rateLimit: {algorithm, …}}` step: the
 * step's flat fields are the algorithm parameters plus key/tiers/status/headers/lockout/dryRun
 * (routes are filtered by the server). 'login-lockout' is a lockout-only gate.
 */
export const RATE_LIMIT_GATE_KINDS: readonly RateLimitGateKind[] = [
  ...ALGORITHM_NAMES,
  'login-lockout',
].map((name) => ({
  algorithm: name,
  build(config: Readonly<Record<string, unknown>>): RequestGate {
    return createGate(gateConfig(name, config) as z.input<typeof rateLimitGateSchema>);
  },
  check(config: Readonly<Record<string, unknown>>) {
    const r = rateLimitGateSchema.safeParse(gateConfig(name, config));
    if (r.success) return [];
    // Algorithm fields sit flat in the step: drop the 'algorithm' level of the path.
    return r.error.issues.map((i) => ({
      path: i.path[0] === 'algorithm' && i.path.length > 1 ? i.path.slice(1) : i.path,
      message: i.message,
    }));
  },
}));

/** A rateLimit step's flat fields split into limiter fields and the algorithm's parameters. */
function gateConfig(name: string, config: Readonly<Record<string, unknown>>) {
  const limiter: Record<string, unknown> = {};
  const algorithm: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'routes') continue;
    if (LIMITER_KEYS.has(k)) limiter[k] = v;
    else algorithm[k] = v;
  }
  if (name !== 'login-lockout') limiter.algorithm = algorithm;
  return limiter;
}
