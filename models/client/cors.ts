import { z } from 'zod';
import type { SimTime } from '../../engine/index.ts';
import { duration } from '../core/units.ts';
import type { Method, RequestHeaders } from '../http/messages.ts';

/** The target's CORS policy as the browser learns it: allowed origins and Access-Control-Max-Age. */
export const corsSchema = z.strictObject({
  origins: z.array(z.string().min(1)).describe('origins the target allows'),
  maxAge: duration().default(5_000_000).describe('Access-Control-Max-Age (absent: 5s)'),
});
/** A parsed CORS policy. */
export type CorsConfig = z.output<typeof corsSchema>;

const SIMPLE_METHODS: ReadonlySet<Method> = new Set(['GET', 'HEAD', 'POST']);

/**
 * Whether a request needs an OPTIONS preflight (Fetch Standard): it is cross-origin (has an
 * Origin) and not simple (method other than GET/HEAD/POST, or an Authorization header).
 */
export function needsPreflight(method: Method, headers: RequestHeaders): boolean {
  if (headers.origin === undefined) return false;
  const auth = headers.authorization !== undefined && headers.authorization !== 'none';
  return auth || !SIMPLE_METHODS.has(method);
}

/** The browser's preflight cache: one entry per (origin, route) until its max-age runs out. */
export class PreflightCache {
  private readonly entries = new Map<string, SimTime>();

  /** Whether a fresh preflight result is cached. */
  has(origin: string, route: string, now: SimTime): boolean {
    const k = `${origin}\u0000${route}`;
    const expires = this.entries.get(k);
    if (expires === undefined) return false;
    if (now < expires) return true;
    this.entries.delete(k);
    return false;
  }

  /** Stores a successful preflight for `maxAge` µs. */
  store(origin: string, route: string, now: SimTime, maxAge: SimTime): void {
    const k = `${origin}\u0000${route}`;
    this.entries.delete(k);
    this.entries.set(k, now + maxAge);
  }
}
