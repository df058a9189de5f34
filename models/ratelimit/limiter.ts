import { z } from 'zod';
import type { SimTime } from '../../engine/index.ts';
import {
  createUserAlgorithm,
  type UserFactory,
  type UserModule,
  userModuleSchema,
} from '../core/user-algorithm.ts';
import type { HttpRequest, ResponseHeaders } from '../http/messages.ts';
import type { Decision, LimiterAlgorithm, LimiterKey } from './algorithm.ts';
import { type HeaderStyle, limitHeaders } from './headers.ts';
import { type KeyField, keyOf, keySpec } from './keys.ts';
import { LoginLockout, lockoutSpec } from './lockout.ts';
import { type AlgorithmSpec, algorithmSpec, createAlgorithm } from './spec.ts';
import { LimiterStats } from './stats.ts';

/** The limiter fields shared by the rate-limiter component and the app-server gate. */
export const limiterFields = {
  algorithm: algorithmSpec().optional().describe('the default limit (all tiers without their own)'),
  key: keySpec().describe(
    'what a limit counts per: clientIp, user, apiKey, tier, route, … or a list',
  ),
  tiers: z
    .record(z.string().min(1), algorithmSpec())
    .default({})
    .describe('per-tier limits chosen by the request tier (e.g. free, pro, enterprise)'),
  routes: z.array(z.string().min(1)).optional().describe('only these routes are limited'),
  status: z
    .number()
    .int()
    .min(400)
    .max(599)
    .default(429)
    .describe('status when rejected (NGINX uses 503)'),
  headers: z
    .enum(['x-ratelimit', 'ietf', 'none'])
    .default('x-ratelimit')
    .describe('rate-limit headers on answers: X-RateLimit-*, IETF RateLimit, or none'),
  lockout: lockoutSpec().optional().describe('login limiter: lock a key after repeated 401s'),
  dryRun: z.boolean().default(false).describe('decide and count, but never reject or delay'),
};

/** The parsed limiter fields. */
export interface LimiterConfig {
  readonly algorithm?: AlgorithmSpec | UserModule | undefined;
  readonly key: readonly KeyField[];
  readonly tiers: Readonly<Record<string, AlgorithmSpec | UserModule>>;
  readonly routes?: readonly string[] | undefined;
  readonly status: number;
  readonly headers: HeaderStyle;
  readonly lockout?: z.output<ReturnType<typeof lockoutSpec>> | undefined;
  readonly dryRun: boolean;
}

/** What a limiter says about one request (the RequestGate verdict plus a reason). */
export interface Verdict {
  readonly allowed: boolean;
  readonly status?: number;
  readonly headers?: ResponseHeaders;
  readonly delay?: SimTime;
  /** 'ok', 'rate-limited' or 'locked-out'. */
  readonly reason: string;
}

/**
 * The limiter fields of a rate-limiter component: an algorithm or tier may also name a user
 * module (`{ "module", "options" }`, loaded by the CLI; docs/extending.md).
 */
export const componentLimiterFields = {
  ...limiterFields,
  algorithm: z
    .union([userModuleSchema, algorithmSpec()])
    .optional()
    .describe('the default limit (all tiers without their own); or a user module'),
  tiers: z
    .record(z.string().min(1), z.union([userModuleSchema, algorithmSpec()]))
    .default({})
    .describe('per-tier limits chosen by the request tier (e.g. free, pro, enterprise)'),
};

/** A spec when it is a fixed window (shared counters, over-admission bound), else undefined. */
export function fixedWindowOf(spec: AlgorithmSpec | UserModule | undefined) {
  return spec !== undefined && 'algorithm' in spec && spec.algorithm === 'fixed-window'
    ? spec
    : undefined;
}

/** The spec when the store can hold it: a fixed window, a sliding log or a token bucket. */
export function storedSpec(spec: AlgorithmSpec | UserModule | undefined) {
  if (spec === undefined || !('algorithm' in spec)) return undefined;
  return spec.algorithm === 'fixed-window' ||
    spec.algorithm === 'sliding-log' ||
    spec.algorithm === 'token-bucket'
    ? spec
    : undefined;
}

/** The per-window bound of a spec, for over-admission accounting (fixed windows only). */
export function windowBound(spec: AlgorithmSpec | UserModule | undefined) {
  const fixed = fixedWindowOf(spec);
  return fixed !== undefined ? { limit: fixed.limit, window: fixed.window } : undefined;
}

/**
 * A local (in-memory) limiter: picks the tier's algorithm, keys the request, decides, and
 * builds the response headers; also runs the login lockout. Synchronous; no store calls.
 */
export class Limiter {
  readonly config: LimiterConfig;
  readonly stats: LimiterStats;
  readonly lockout: LoginLockout | undefined;
  private readonly byTier = new Map<string, LimiterAlgorithm>();
  private readonly fallback: LimiterAlgorithm | undefined;
  private readonly user: ((module: string) => UserFactory) | undefined;

  /** `user` supplies the factories of user modules (BuildEnv.userAlgorithm). */
  constructor(config: LimiterConfig, stats?: LimiterStats, user?: (module: string) => UserFactory) {
    this.config = config;
    this.user = user;
    this.stats = stats ?? new LimiterStats(config.headers, windowBound(config.algorithm));
    this.fallback = config.algorithm === undefined ? undefined : this.create(config.algorithm);
    this.lockout = config.lockout === undefined ? undefined : new LoginLockout(config.lockout);
  }

  /** The algorithm serving `tier` (undefined: the tier is not limited). */
  algorithmFor(tier: string): LimiterAlgorithm | undefined {
    const spec = this.config.tiers[tier];
    if (spec === undefined) return this.fallback;
    let a = this.byTier.get(tier);
    if (a === undefined) {
      a = this.create(spec);
      this.byTier.set(tier, a);
    }
    return a;
  }

  private create(spec: AlgorithmSpec | UserModule): LimiterAlgorithm {
    if (!('module' in spec)) return createAlgorithm(spec);
    return createUserAlgorithm<LimiterAlgorithm>(this.user, spec, 'rate-limit algorithm');
  }

  /** Whether the request's route is subject to the limit. */
  applies(req: HttpRequest): boolean {
    return this.config.routes === undefined || this.config.routes.includes(req.route);
  }

  /** The limiter key of a request. */
  keyOf(req: HttpRequest): LimiterKey {
    return keyOf(req, this.config.key);
  }

  /** Decides one request locally at `now`. */
  admit(req: HttpRequest, now: SimTime): Verdict {
    const lock = this.lockout;
    if (lock !== undefined && (lock.spec.route === undefined || lock.spec.route === req.route)) {
      const locked = lock.lockedFor(keyOf(req, lock.spec.key), now);
      if (locked > 0 && !this.config.dryRun) {
        const retryAfter = Math.max(1, Math.ceil(locked / 1e6));
        return {
          allowed: false,
          status: this.config.status,
          headers: { retryAfter },
          reason: 'locked-out',
        };
      }
    }
    const algo = this.applies(req) ? this.algorithmFor(req.tier) : undefined;
    if (algo === undefined) return { allowed: true, reason: 'ok' };
    const key = this.keyOf(req);
    const d = algo.decide(key, now);
    this.stats.record(key, req.tier, now, d.allowed);
    return this.verdict(d);
  }

  /** Turns a decision into a verdict with headers (dry run: always allowed, no delay). */
  verdict(d: Decision): Verdict {
    const headers = limitHeaders(d, this.config.headers);
    if (!d.allowed) this.stats.rejectedWith(headers);
    if (this.config.dryRun) return { allowed: true, headers, reason: d.allowed ? 'ok' : 'dry-run' };
    if (!d.allowed)
      return { allowed: false, status: this.config.status, headers, reason: 'rate-limited' };
    if (d.delay > 0) this.stats.delay.record(d.delay);
    return { allowed: true, headers, delay: d.delay, reason: 'ok' };
  }

  /** Feedback after an admitted request finished: adaptive limits and the login lockout. */
  complete(req: HttpRequest, now: SimTime, status: number, latency: SimTime): void {
    const lock = this.lockout;
    if (lock !== undefined && (lock.spec.route === undefined || lock.spec.route === req.route)) {
      lock.record(keyOf(req, lock.spec.key), now, status);
    }
    if (!this.applies(req)) return;
    const algo = this.algorithmFor(req.tier);
    algo?.onComplete?.(this.keyOf(req), now, latency, status < 500);
  }
}
