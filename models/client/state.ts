import { type Context, type Handler, LatencyHistogram } from '../../engine/index.ts';
import type { BuildEnv, Instance } from '../core/component.ts';
import { PHASES } from '../http/messages.ts';
import { onAttemptTimeout, onDnsAnswer, onDnsTimeout, onRetry } from './attempt.ts';
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
    jobs: new Map(),
    inflight: new Map(),
    pools: new Map(),
    conns: new Map(),
    dnsCache: new Map(),
    dnsPending: new Map(),
    dnsTags: new Map(),
    preflights: new PreflightCache(),
    budget: b === undefined ? undefined : new RetryBudget(b.ratio, b.minPerSecond, b.ttl),
    tracer: env.tracer,
    factor: 1,
    onFinish: undefined,
  };
}

/** Resolves the target and resolver at 'sim.start'; ids are actor ref × 2^32 + n. */
export function initClient(state: ClientState, ctx: Context): void {
  state.target = ctx.lookup(state.config.target);
  if (state.config.dns !== undefined) state.resolver = ctx.lookup(state.config.dns.resolver);
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
