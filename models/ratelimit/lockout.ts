import { z } from 'zod';
import type { SimTime } from '../../engine/index.ts';
import { duration, positiveInt } from '../core/units.ts';
import { type Expiring, KeyTable, type LimiterKey } from './algorithm.ts';
import { keySpec } from './keys.ts';

/** Login limiter config: lock a key after `maxFailures` 401s within `window`, for `duration`. */
export const lockoutSpec = () =>
  z.strictObject({
    route: z
      .string()
      .min(1)
      .optional()
      .describe('only requests on this route are counted and locked'),
    key: keySpec().describe('count failures per user, per client IP, or both'),
    maxFailures: positiveInt().default(5).describe('failures within window that lock the key'),
    window: duration().default(900_000_000).describe('failures older than this are forgotten'),
    duration: duration().default(900_000_000).describe('how long a key stays locked'),
    failureStatus: z
      .number()
      .int()
      .min(400)
      .max(599)
      .default(401)
      .describe('the answer status that counts as a failed login'),
  });

/** A parsed login limiter config. */
export type LockoutSpec = z.output<ReturnType<typeof lockoutSpec>>;

interface State extends Expiring {
  failures: number;
  windowEnd: SimTime;
  lockedUntil: SimTime;
}

/**
 * OWASP-style brute-force defence: counts failed logins (401 by default) per key in a window
 * that starts at the first failure; at `maxFailures` the key is locked for `duration`.
 */
export class LoginLockout {
  readonly spec: LockoutSpec;
  private readonly table = new KeyTable<State>();
  /** How many times a key got locked. */
  lockouts = 0;

  constructor(spec: LockoutSpec) {
    this.spec = spec;
  }

  /** µs the key stays locked from `now` (0 when not locked). */
  lockedFor(key: LimiterKey, now: SimTime): SimTime {
    const s = this.table.peek(key);
    return s !== undefined && s.lockedUntil > now ? s.lockedUntil - now : 0;
  }

  /** Records one login outcome for `key`. */
  record(key: LimiterKey, now: SimTime, status: number): void {
    if (status !== this.spec.failureStatus) return;
    const s = this.table.get(key, now, () => ({
      failures: 0,
      windowEnd: 0,
      lockedUntil: 0,
      expiresAt: 0,
    }));
    if (s.lockedUntil > now) return;
    if (now >= s.windowEnd) {
      s.failures = 0;
      s.windowEnd = now + this.spec.window;
    }
    s.failures++;
    if (s.failures >= this.spec.maxFailures) {
      s.lockedUntil = now + this.spec.duration;
      s.failures = 0;
      s.windowEnd = 0;
      this.lockouts++;
    }
    s.expiresAt = Math.max(s.windowEnd, s.lockedUntil);
  }

  /** Keys currently holding state. */
  size(): number {
    return this.table.size;
  }
}
