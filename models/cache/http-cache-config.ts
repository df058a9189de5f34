import { z } from 'zod';
import { durationDist } from '../core/dist-spec.ts';
import { duration, durationOrZero } from '../core/units.ts';
import { capacityFields, userPolicyField } from './config.ts';

/** Config of an http-cache (CDN edge / reverse-proxy response cache). */
export const httpCacheSchema = z.strictObject({
  upstream: z
    .string()
    .describe('component that serves misses (balancer, app server, shield cache)'),
  ...capacityFields,
  policy: userPolicyField,
  ttl: duration()
    .optional()
    .describe(
      'TTL when the response has no max-age (nginx proxy_cache_valid, Varnish default_ttl 120s)',
    ),
  honorCacheControl: z.boolean().default(true).describe('use the response max-age when present'),
  sliding: z.boolean().default(false).describe('a hit extends the TTL (non-renewing when false)'),
  negativeTtl: durationOrZero()
    .default(0)
    .describe('cache 404s this long (nginx proxy_cache_valid 404 …)'),
  staleWhileRevalidate: durationOrZero()
    .default(0)
    .describe('RFC 5861 / Varnish grace / nginx use_stale updating + background_update'),
  staleIfError: durationOrZero()
    .default(0)
    .describe('RFC 5861: serve stale when the upstream fails'),
  revalidate: z
    .boolean()
    .default(false)
    .describe('conditional requests (If-None-Match ⇒ 304) for stale entries'),
  stampede: z
    .enum(['none', 'coalesce', 'xfetch'])
    .default('none')
    .describe(
      'none; coalesce = nginx proxy_cache_lock / singleflight; xfetch = probabilistic early expiration',
    ),
  xfetchBeta: z
    .number()
    .positive()
    .max(100)
    .default(1)
    .describe('XFetch beta (> 1 refreshes earlier)'),
  lookupLatency: durationDist().default(100).describe('time to look up and answer from cache'),
  upstreamTimeout: duration()
    .default(60_000_000)
    .describe('proxy_read_timeout: upstream fetch gives up ⇒ 504'),
});
/** A parsed http-cache config. */
export type HttpCacheConfig = z.output<typeof httpCacheSchema>;
