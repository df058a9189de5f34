import { z } from 'zod';
import { durationDist } from '../core/dist-spec.ts';
import { duration, positiveInt } from '../core/units.ts';
import { arrivalSchema } from './arrival.ts';
import { connectionSchema } from './connection.ts';
import { corsSchema } from './cors.ts';
import { mixSchema } from './mix.ts';
import { retriesSchema } from './retry.ts';

/** Optional DNS resolution before connecting (the resolver answers dns.query). */
export const clientDnsSchema = z.strictObject({
  resolver: z.string().min(1).describe('component id of the resolver'),
  name: z.string().min(1).optional().describe('name to resolve; default: the target id'),
  timeout: duration().default(5_000_000).describe('give up on a query after (resolv.conf: 5s)'),
});

/** Config fields shared by open- and closed-loop clients. */
export const commonClientFields = {
  target: z.string().min(1).describe('component the requests go to (proxy, balancer, server)'),
  mix: mixSchema
    .default([{ name: 'default', weight: 1, method: 'GET', route: '/', size: 0 }])
    .describe('request classes by weight'),
  timeout: duration()
    .default(30_000_000)
    .describe('per attempt, from its start (DNS, connect, preflight, response); default 30s'),
  retries: retriesSchema.optional().describe('omitted: no retries'),
  connection: connectionSchema.prefault({}),
  cors: corsSchema.optional().describe('omitted: no preflights are sent'),
  dns: clientDnsSchema.optional(),
  ips: positiveInt(65_536).default(256).describe('client addresses for anonymous requests'),
  stopAfter: duration().optional().describe('issue no new requests after this time'),
};

/** Open-loop client: arrivals follow a process, independent of completions. */
export const openClientSchema = z.strictObject({ ...commonClientFields, arrival: arrivalSchema });
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
