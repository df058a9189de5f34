import type { ResponseHeaders } from '../http/messages.ts';
import type { Decision } from './algorithm.ts';

/**
 * Which rate-limit headers a limiter sends: de-facto X-RateLimit-* (Reset as delta seconds,
 * like redis-cell, not GitHub's epoch), the IETF RateLimit/RateLimit-Policy form (same
 * numbers: q = limit, r = remaining, t = reset), or none (Retry-After only).
 */
export type HeaderStyle = 'x-ratelimit' | 'ietf' | 'none';

/** Header values for a decision; Retry-After (whole seconds, rounded up) only when rejected. */
export function limitHeaders(d: Decision, style: HeaderStyle): ResponseHeaders {
  const out: ResponseHeaders = {};
  if (!d.allowed) out.retryAfter = Math.max(1, Math.ceil(d.retryAfter / 1e6));
  if (style === 'none') return out;
  out.rateLimitLimit = d.limit;
  out.rateLimitRemaining = d.remaining;
  out.rateLimitReset = Math.ceil(d.resetAfter / 1e6);
  return out;
}
