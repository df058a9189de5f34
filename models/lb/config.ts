import { z } from 'zod';
import { durationDist } from '../core/dist-spec.ts';
import { duration, durationOrZero, nonNegativeInt, percent } from '../core/units.ts';
import { algorithmSchema } from './algorithms/index.ts';
import { autoscaleSchema } from './autoscaler.ts';
import {
  activeCheckSchema,
  outlierSchema,
  passiveSchema,
  slowStartSchema,
} from './health-config.ts';

/** One backend entry: a component id (a replicated group expands to its members) and options. */
export const backendEntrySchema = z.strictObject({
  id: z.string().min(1).describe('backend component id'),
  weight: z.number().positive().max(1000).default(1).describe('relative share of requests'),
  backup: z.boolean().default(false).describe('used only when no primary is eligible'),
  maxconn: nonNegativeInt().optional().describe('overrides the balancer-wide backendMaxconn'),
  address: z
    .string()
    .min(1)
    .optional()
    .describe(
      'the address on the product\'s server line ("127.0.0.1:8080"): consistent-hash with ring nginx builds its points from it; default the backend id',
    ),
});

/** What counts as a failed attempt and may be retried on the next backend (NGINX proxy_next_upstream). */
export const retryOnSchema = z.enum([
  'error',
  'timeout',
  'http_500',
  'http_502',
  'http_503',
  'http_504',
]);

/** The `load-balancer` component's config. */
export const loadBalancerSchema = z.strictObject({
  layer: z.enum(['L7', 'L4']).default('L7').describe('L7: per request; L4: per client connection'),
  algorithm: algorithmSchema
    .default({ name: 'round-robin' })
    .describe('how a backend is picked: a name or {name, options}'),
  backends: z
    .union([z.string().min(1), z.array(z.union([z.string().min(1), backendEntrySchema])).min(1)])
    .describe('a component id (group) or a list of ids / {id, weight, backup, maxconn}'),
  overhead: durationDist().default(0).describe('the balancer’s own processing time per request'),
  maxconn: nonNegativeInt()
    .default(0)
    .describe('concurrent requests at the balancer; 0 = unlimited; over ⇒ 503'),
  backendMaxconn: nonNegativeInt()
    .default(0)
    .describe('per-backend concurrency limit; 0 = unlimited'),
  timeoutQueue: durationOrZero()
    .default(5_000_000)
    .describe('wait for a backend slot (HAProxy timeout queue; ⇒ 503); 0 = reject at once'),
  maxQueue: nonNegativeInt().default(0).describe('queued requests at most; 0 = unlimited'),
  timeout: duration().default(60_000_000).describe('per-attempt upstream timeout ⇒ 504'),
  errors: z
    .enum(['nginx', 'envoy', 'haproxy'])
    .default('nginx')
    .describe('which status a failure maps to'),
  retry: z
    .strictObject({
      on: z
        .array(retryOnSchema)
        .default(['error', 'timeout'])
        .describe('which failures are retried (NGINX proxy_next_upstream)'),
      tries: nonNegativeInt().default(0).describe('attempts at most; 0 = number of backends'),
      timeout: durationOrZero().default(0).describe('no retry after this long; 0 = unlimited'),
      nonIdempotent: z
        .boolean()
        .default(false)
        .describe('retry POST and other non-idempotent requests too'),
    })
    .default({ on: ['error', 'timeout'], tries: 0, timeout: 0, nonIdempotent: false })
    .describe('retrying a failed attempt on the next backend'),
  passive: passiveSchema
    .optional()
    .describe('NGINX max_fails/fail_timeout; omitted = defaults 1 / 10s'),
  outlier: outlierSchema.optional().describe('Envoy outlier detection; omitted: off'),
  activeCheck: activeCheckSchema.optional().describe('active health checks; omitted: off'),
  panicThreshold: percent()
    .default(0)
    .describe('Envoy: below this healthy share balance over all; 0 = off'),
  slowStart: slowStartSchema
    .optional()
    .describe('weight ramp for recovered backends; omitted: off'),
  connectionIdle: duration()
    .default(60_000_000)
    .describe('L4: a client connection is forgotten after this idle time'),
  oracle: z
    .boolean()
    .default(false)
    .describe('lets join-shortest-queue read backends’ true queues'),
  autoscale: autoscaleSchema
    .optional()
    .describe('scale the backend group (Kubernetes HPA); omitted: fixed'),
});
/** Parsed load-balancer config. */
export type LoadBalancerConfig = z.output<typeof loadBalancerSchema>;
