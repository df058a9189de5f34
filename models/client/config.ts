import { z } from 'zod';
import { POLICY_NAMES } from '../cache/policies/index.ts';
import type { Reference } from '../core/component.ts';
import { durationDist } from '../core/dist-spec.ts';
import { duration, durationOrZero, positiveInt } from '../core/units.ts';
import { arrivalSchema } from './arrival.ts';
import { connectionSchema } from './connection.ts';
import { corsSchema } from './cors.ts';
import { loginSchema } from './login.ts';
import { mixSchema } from './mix.ts';
import { retriesSchema } from './retry.ts';

/**
 * Optional DNS resolution before connecting: browser cache → OS cache → resolver (the resolver
 * answers dns.query); the request goes to the first address of the answer.
 */
export const clientDnsSchema = z.strictObject({
  resolver: z.string().min(1).describe('component id of the resolver'),
  name: z.string().min(1).optional().describe('name to resolve; default: the target'),
  timeout: duration().default(5_000_000).describe('give up on a query after (resolv.conf: 5s)'),
  browserCache: z
    .boolean()
    .default(true)
    .describe('browser host cache (Chromium: 1000 names) in front of the OS'),
  browserCacheTtlCap: duration()
    .default(60_000_000)
    .describe('the browser keeps an answer at most this long (Chromium: 60s)'),
  osCache: z
    .boolean()
    .default(false)
    .describe('OS stub cache (systemd-resolved, nscd, macOS mDNSResponder; glibc alone: none)'),
  osCacheTtlCap: duration()
    .optional()
    .describe('cap on the OS cache TTL (default: the answer TTL)'),
  negativeTtl: durationOrZero()
    .default(0)
    .describe('how long the stub caches keep NXDOMAIN/SERVFAIL (Chromium 0, Java 10s)'),
});

/**
 * Optional private (browser) HTTP cache: GET responses with Cache-Control max-age are served
 * from it while fresh; stale ones with an ETag are revalidated with If-None-Match.
 */
export const browserCacheSchema = z.strictObject({
  capacity: positiveInt(100_000_000)
    .default(10_000)
    .describe('entries over all users of this client (one bounded cache per client actor)'),
  policy: z.enum(POLICY_NAMES).default('lru').describe('eviction policy'),
  keepStale: duration()
    .default(3_600_000_000)
    .describe('how long a stale entry with an ETag is kept for revalidation'),
});
/** A parsed browser cache config. */
export type BrowserCacheConfig = z.output<typeof browserCacheSchema>;

/** Config fields shared by open- and closed-loop clients. */
export const commonClientFields = {
  target: z
    .string()
    .min(1)
    .describe(
      'component the requests go to (one actor: proxy, balancer, server); with dns: the default name to resolve',
    ),
  mix: mixSchema
    .default([{ name: 'default', weight: 1, method: 'GET', route: '/', size: 0 }])
    .describe('request classes by weight'),
  timeout: duration()
    .default(30_000_000)
    .describe('per attempt, from its start (DNS, connect, preflight, response); default 30s'),
  retries: retriesSchema.optional().describe('omitted: no retries'),
  connection: connectionSchema
    .prefault({})
    .describe('protocol, TLS and connection reuse; omitted: HTTP/1.1 over TLS 1.3, keep-alive'),
  cors: corsSchema.optional().describe('omitted: no preflights are sent'),
  login: loginSchema
    .optional()
    .describe(
      'cookie sessions: a class with authorization "session" logs in first when its jar holds no session cookie, and again after a 401; omitted: the session is assumed',
    ),
  dns: clientDnsSchema
    .optional()
    .describe('resolve first: browser cache → OS cache → resolver (docs/models/dns.md)'),
  browserCache: browserCacheSchema
    .optional()
    .describe('omitted: no browser cache; keyed by (user or client IP, route, key)'),
  ips: positiveInt(65_536).default(256).describe('client addresses for anonymous requests'),
  stopAfter: duration().optional().describe('issue no new requests after this time'),
};

/** Open-loop client: arrivals follow a process, independent of completions. */
export const openClientSchema = z.strictObject({
  ...commonClientFields,
  arrival: arrivalSchema.describe('when requests start: a process and its rate'),
});
/** A parsed open-loop client config. */
export type OpenClientConfig = z.output<typeof openClientSchema>;

/** Closed-loop client: N users, each request → response → think → next request. */
export const closedClientSchema = z.strictObject({
  ...commonClientFields,
  users: positiveInt(10_000_000).describe('concurrent users (multiprogramming level)'),
  thinkTime: durationDist().default(1_000_000).describe('pause after each response'),
  sessionLength: positiveInt()
    .optional()
    .describe('requests per session; omitted: one endless session'),
  betweenSessions: durationDist().default(0).describe('pause between sessions'),
});
/** A parsed closed-loop client config. */
export type ClosedClientConfig = z.output<typeof closedClientSchema>;

/** The fields every client config has after parsing. */
export type CommonClientConfig = Pick<OpenClientConfig, keyof typeof commonClientFields>;

/** The components a client names: its target and its resolver. */
export function clientReferences(config: CommonClientConfig): Reference[] {
  const target: Reference = {
    path: ['target'],
    id: config.target,
    acceptsGroup: false,
    carriesRequests: true,
  };
  if (config.dns === undefined) return [target];
  const resolver: Reference = {
    path: ['dns', 'resolver'],
    id: config.dns.resolver,
    acceptsGroup: false,
    carriesRequests: false,
  };
  return [target, resolver];
}
