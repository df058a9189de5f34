import { type Context, type Handler, LatencyHistogram } from '../../engine/index.ts';
import type { BuildEnv, Instance } from '../core/component.ts';
import { IdMap } from '../core/id-map.ts';
import { createStubCache } from '../dns/stub-cache.ts';
import { PHASES } from '../http/messages.ts';
import { onAttemptTimeout, onDnsAnswer, onDnsTimeout, onRetry } from './attempt.ts';
import { createClientBrowserCache } from './browser.ts';
import type { CommonClientConfig } from './config.ts';
import { PreflightCache } from './cors.ts';
import type { ClientState } from './job.ts';
import { RetryBudget } from './retry-budget.ts';
import { onConnected, onConnectFailed, onResponse } from './transport.ts';

/** Builds the shared part of a client's state; refs are resolved later by initClient(). */
export function createClientState(
  instance: Instance<CommonClientConfig>,
  env: BuildEnv,
): ClientState {
  const config = instance.config;
  const probe = env.probe(instance.componentId, instance.actorId);
  probe.series.trackPercentiles(); // the entry's p50/p90/p99 over time
  probe.phases = PHASES.map(() => new LatencyHistogram());
  const b = config.retries?.budget;
  return {
    config,
    componentId: instance.componentId,
    network: env.network,
    probe,
    target: -1,
    resolver: -1,
    base: 0,
    nextId: 0,
    nextTag: 1,
    jobs: new IdMap(),
    inflight: new IdMap(),
    pools: new Map(),
    conns: new Map(),
    dnsBrowser:
      config.dns?.browserCache === true
        ? createStubCache({
            capacity: 1_000,
            maxTtl: config.dns.browserCacheTtlCap,
            negativeTtl: config.dns.negativeTtl,
          })
        : undefined,
    dnsOs:
      config.dns?.osCache === true
        ? createStubCache({
            capacity: 4_096,
            ...(config.dns.osCacheTtlCap === undefined ? {} : { maxTtl: config.dns.osCacheTtlCap }),
            negativeTtl: config.dns.negativeTtl,
          })
        : undefined,
    browser: undefined,
    dnsPending: new Map(),
    dnsTags: new Map(),
    preflights: new PreflightCache(),
    jars: new Map(),
    budget: b === undefined ? undefined : new RetryBudget(b.ratio, b.minPerSecond, b.ttl),
    tracer: env.tracer,
    factor: 1,
    onFinish: undefined,
  };
}

/** Resolves the target and resolver and builds the browser cache at 'sim.start'; ids are actor ref × 2^32 + n. */
export function initClient(state: ClientState, ctx: Context): void {
  const { dns, browserCache } = state.config;
  // With DNS the target is a host name; the answer names the actor to connect to.
  if (dns === undefined) state.target = ctx.lookup(state.config.target);
  else state.resolver = ctx.lookup(dns.resolver);
  if (browserCache !== undefined) {
    state.browser = createClientBrowserCache(browserCache, ctx.rng('browser-cache'));
  }
  state.base = ctx.self * 2 ** 32;
}

/** Handlers every client kind shares: responses, DNS answers, timers of attempts and connections. */
export const clientHandlers: Readonly<Record<string, Handler<ClientState>>> = {
  'http.response': (s, m, c) => onResponse(s, c, m),
  'dns.answer': (s, m, c) => onDnsAnswer(s, c, m),
  'client.timeout': (s, m, c) => onAttemptTimeout(s, c, m),
  'client.retry': (s, m, c) => onRetry(s, c, m),
  'client.dns-timeout': (s, m, c) => onDnsTimeout(s, c, m),
  'client.connected': (s, m, c) => onConnected(s, c, m),
  'client.connect-failed': (s, m, c) => onConnectFailed(s, c, m),
};
