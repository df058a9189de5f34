import { z } from 'zod';
import { durationDist } from '../core/dist-spec.ts';
import { duration, durationOrZero, positiveInt } from '../core/units.ts';

/** Config of a dns-resolver (recursive resolver shared by many clients; Unbound/BIND knobs). */
export const dnsResolverSchema = z.strictObject({
  authoritative: z.string().describe('the dns-authoritative component holding the zone'),
  capacity: positiveInt()
    .default(100_000)
    .describe('cached names (msg-cache-size / max-cache-size)'),
  minTtl: durationOrZero().default(0).describe('cache-min-ttl / min-cache-ttl'),
  maxTtl: duration().default(86_400_000_000).describe('cache-max-ttl (BIND max-cache-ttl 1 week)'),
  maxNegativeTtl: duration()
    .default(3_600_000_000)
    .describe('cache-max-negative-ttl (BIND max-ncache-ttl 3h)'),
  prefetch: z
    .boolean()
    .default(false)
    .describe('Unbound prefetch: refresh on a hit in the last 10% of the TTL'),
  serveStale: z.boolean().default(false).describe('RFC 8767 serve-expired / stale-answer-enable'),
  staleMax: duration().default(86_400_000_000).describe('serve-expired-ttl / max-stale-ttl'),
  staleReplyTtl: duration()
    .default(30_000_000)
    .describe('serve-expired-reply-ttl / stale-answer-ttl'),
  clientTimeout: duration()
    .default(1_800_000)
    .describe('serve-expired-client-timeout (RFC 8767: 1.8 s)'),
  maxConcurrent: positiveInt()
    .default(2_048)
    .describe('recursions at once (num-queries-per-thread); more ⇒ SERVFAIL'),
  queryTimeout: duration().default(10_000_000).describe('resolver-query-timeout ⇒ SERVFAIL'),
  hitLatency: durationDist().default(100).describe('time to answer from cache'),
  rootLatency: durationDist()
    .default(20_000)
    .describe('root server round trip (referral to the TLD)'),
  tldLatency: durationDist()
    .default(30_000)
    .describe('TLD server round trip (referral to the zone)'),
  delegationTtl: duration()
    .default(172_800_000_000)
    .describe('NS/delegation TTL (2 days in the root zone)'),
});
/** A parsed dns-resolver config. */
export type DnsResolverConfig = z.output<typeof dnsResolverSchema>;
