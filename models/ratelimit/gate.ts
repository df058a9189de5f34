import { z } from 'zod';
import type { SimTime } from '../../engine/index.ts';
import type { HttpRequest, ResponseHeaders } from '../http/messages.ts';
import { Limiter, limiterFields } from './limiter.ts';

/**
 * The app-server middleware contract (models/server/gate.ts in the servers family), repeated
 * here so this file type-checks on its own; any object of this shape can be a gate.
 */
export interface RequestGate {
  admit(
    req: HttpRequest,
    now: SimTime,
  ): { allowed: boolean; status?: number; headers?: ResponseHeaders; delay?: SimTime };
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
  return {
    limiter,
    admit(req, now) {
      const v = limiter.admit(req, now);
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
      limiter.complete(req, now, status, latency);
    },
  };
}
