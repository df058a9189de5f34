import { httpCacheKind } from './cache/http-cache.ts';
import { kvStoreKind } from './cache/kv-store.ts';
import { closedClientKind } from './client/closed-loop.ts';
import { openClientKind } from './client/open-loop.ts';
import type { ComponentKind } from './core/component.ts';
import { databaseKind } from './db/database.ts';
import { dnsAuthoritativeKind } from './dns/authoritative.ts';
import { dnsResolverKind } from './dns/resolver.ts';
import { jobQueueKind } from './jobs/job-queue.ts';
import { loadBalancerKind } from './lb/load-balancer.ts';
import { rateLimiterKind } from './ratelimit/component.ts';
import { RATE_LIMIT_GATE_KINDS } from './ratelimit/gate.ts';
import { circuitBreakerKind } from './resilience/breaker-component.ts';
import { fanOutKind } from './resilience/fan-out.ts';
import { hedgeKind } from './resilience/hedge.ts';
import { serviceKind } from './resilience/service.ts';
import { idempotencyStoreKind } from './rest/idempotency-store.ts';
import { resourceStoreKind } from './rest/resource-store.ts';
import { pageWalkerKind } from './rest/walker.ts';
import { makeAppServerKind } from './server/app-server.ts';
import { proxyKind } from './server/proxy.ts';

/**
 * Every component kind the scenario format knows, in one list. A model family adds its kinds
 * here; the scenario schema, the docs and the JSON Schema are generated from this list.
 */
export const COMPONENT_KINDS: readonly ComponentKind[] = [
  openClientKind,
  closedClientKind,
  pageWalkerKind,
  dnsResolverKind,
  dnsAuthoritativeKind,
  proxyKind,
  httpCacheKind,
  loadBalancerKind,
  rateLimiterKind,
  makeAppServerKind(RATE_LIMIT_GATE_KINDS),
  kvStoreKind,
  databaseKind,
  jobQueueKind,
  resourceStoreKind,
  idempotencyStoreKind,
  serviceKind,
  circuitBreakerKind,
  hedgeKind,
  fanOutKind,
];

/** Finds a kind by its `type` name. */
export function findKind(type: string): ComponentKind | undefined {
  return COMPONENT_KINDS.find((k) => k.type === type);
}
