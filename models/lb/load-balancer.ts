import type { Behavior } from '../../engine/index.ts';
import { type BuildEnv, defineComponent } from '../core/component.ts';
import { buildDurationDist } from '../core/dist-spec.ts';
import { guardUserAlgorithm } from '../core/user-algorithm.ts';
import type { HttpRequestMessage, HttpResponseMessage } from '../http/messages.ts';
import { response } from '../http/messages.ts';
import type { FaultMessage } from '../scenario/timeline.ts';
import type { Balancer } from './algorithm.ts';
import { type AlgorithmConfig, createBalancer } from './algorithms/index.ts';
import { BackendSet, type BackendSpec } from './backend-set.ts';
import { type CheckTick, onCheckResult, onCheckTick, startChecks } from './checks.ts';
import { type LoadBalancerConfig, loadBalancerSchema } from './config.ts';
import {
  answer,
  dispatch,
  onAttemptTimeout,
  onBackendResponse,
  onQueueTimeout,
} from './forward.ts';
import { Health, type UnmarkMessage } from './health.ts';
import { passiveSchema } from './health-config.ts';
import { onProvisioned, onScaleTick, type Provisioned, startScaling } from './scaling.ts';
import { BackendSpread } from './spread.ts';
import { type ClientEntry, type LbState, later } from './state.ts';

/** Expands the configured backends to actor-level specs (a group id becomes its members). */
export function backendSpecs(
  config: LoadBalancerConfig,
  members: (id: string) => readonly string[],
) {
  const entries = typeof config.backends === 'string' ? [config.backends] : config.backends;
  const specs: BackendSpec[] = [];
  for (const e of entries) {
    const entry =
      typeof e === 'string'
        ? { id: e, weight: 1, backup: false, maxconn: undefined, address: undefined }
        : e;
    for (const id of members(entry.id)) {
      specs.push({
        id,
        weight: entry.weight,
        backup: entry.backup,
        maxconn: entry.maxconn ?? config.backendMaxconn,
        ...(entry.address === undefined ? {} : { address: entry.address }),
      });
    }
  }
  return specs;
}

/** Builds the balancer actor's initial state (exposed so tests can drive a balancer directly). */
export function lbState(
  componentId: string,
  actorId: string,
  config: LoadBalancerConfig,
  env: BuildEnv,
): LbState {
  const set = new BackendSet(
    backendSpecs(config, (id) => env.members(id)),
    config.panicThreshold,
  );
  if (config.oracle) {
    set.peekQueue = (i: number) => env.probes.get(set.name(i))?.inSystem.current ?? set.inflight(i);
  }
  const probe = env.probe(componentId, actorId);
  probe.capacity = Math.max(1, config.maxconn);
  const alg = config.algorithm;
  const sticky = !('module' in alg) && alg.name === 'sticky' && config.autoscale === undefined;
  const spread = sticky ? new BackendSpread(set.n) : undefined;
  if (spread !== undefined) probe.extras = spread;
  const health = new Health(
    set,
    {
      passive: config.passive ?? passiveSchema.parse({}),
      outlier: config.outlier,
      active: config.activeCheck,
      slowStart: config.slowStart,
    },
    probe,
  );
  return {
    config,
    componentId,
    set,
    health,
    balancer: balancerOf(config.algorithm, env),
    spread,
    probe,
    env,
    overhead: buildDurationDist(config.overhead),
    refs: [],
    attempts: new Map(),
    checks: new Map(),
    checking: new Uint8Array(set.n),
    queue: [],
    conns: new Map(),
    nextTag: 1,
    checkSeq: 0,
    held: 0,
    crashed: false,
    scaler: {
      provisioning: new Uint8Array(set.n),
      lastChange: 0,
      lastTime: 0,
      lastArea: new Float64Array(set.n),
    },
  };
}

/** The load balancer's behaviour: L7 or L4 forwarding, health checks and autoscaling. */
export const loadBalancerBehavior: Behavior<LbState> = {
  on: {
    'sim.start': (state, _msg, ctx) => {
      state.refs = state.set.specs.map((s) => ctx.lookup(s.id));
      startChecks(state, ctx);
      startScaling(state, ctx);
    },
    'http.request': (state, msg: HttpRequestMessage, ctx) => {
      if (state.crashed) return;
      state.probe.arrive(ctx.now);
      const req = msg.req;
      const entry: ClientEntry = {
        req,
        replyTo: msg.replyTo,
        tag: msg.tag,
        arrivedAt: ctx.now,
        firstSentAt: -1,
        tried: [],
        connKey: `${req.client}/${req.headers.session ?? req.clientIp}`,
        queuedAt: -1,
        queueTimer: -1,
      };
      state.held++;
      if (state.config.maxconn > 0 && state.held > state.config.maxconn) {
        state.probe.count('maxconn_rejected', ctx.now);
        answer(state, entry, response(503, state.componentId, 'lb-maxconn'), ctx);
        return;
      }
      const d = state.overhead.sample(ctx.rng('overhead'));
      if (d <= 0) dispatch(state, entry, ctx);
      else later(ctx, d, { type: 'lb.dispatch', entry });
    },
    'lb.dispatch': (state, msg: { entry: ClientEntry }, ctx) => dispatch(state, msg.entry, ctx),
    'http.response': (state, msg: HttpResponseMessage, ctx) => {
      if (onCheckResult(state, msg.tag, msg.res, ctx)) return;
      onBackendResponse(state, msg.tag, msg.res, ctx);
    },
    'lb.timeout': (state, msg: { tag: number }, ctx) => onAttemptTimeout(state, msg.tag, ctx),
    'lb.queue-timeout': (state, msg: { entry: ClientEntry }, ctx) =>
      onQueueTimeout(state, msg, ctx),
    'lb.check': (state, msg: CheckTick, ctx) => onCheckTick(state, msg, ctx),
    'lb.check-timeout': (state, msg: { tag: number }, ctx) => {
      onCheckResult(state, msg.tag, undefined, ctx);
    },
    'lb.unmark': (state, msg: UnmarkMessage, ctx) => state.health.onUnmark(ctx, msg),
    'lb.ramp': (state, _msg, ctx) => state.health.onRamp(ctx),
    'lb.scale': (state, _msg, ctx) => onScaleTick(state, ctx),
    'lb.provisioned': (state, msg: Provisioned, ctx) => onProvisioned(state, msg, ctx),
    'fault.crash': (state: LbState, _msg: FaultMessage) => {
      state.crashed = true;
    },
    'fault.restart': (state: LbState, _msg: FaultMessage) => {
      state.crashed = false;
    },
  },
};

/** The `load-balancer` component kind. */
export const loadBalancerKind = defineComponent({
  type: 'load-balancer',
  description:
    'An L7 or L4 load balancer: balancing algorithm, backend limits and queue, retries on the next backend, active and passive health checks, slow start and autoscaling.',
  schema: loadBalancerSchema,
  replicable: true,
  references(config) {
    const entries = typeof config.backends === 'string' ? [config.backends] : config.backends;
    return entries.map((e, k) => ({
      path: typeof config.backends === 'string' ? ['backends'] : ['backends', k],
      id: typeof e === 'string' ? e : e.id,
      acceptsGroup: true,
      carriesRequests: true,
    }));
  },
  build(instance, env) {
    const state = lbState(instance.componentId, instance.actorId, instance.config, env);
    env.sim.spawn(instance.actorId, loadBalancerBehavior, state);
  },
});

/** The configured balancer: a built-in one, or a user module's (guarded so a throw names it). */
function balancerOf(algorithm: AlgorithmConfig, env: BuildEnv): Balancer {
  if (!('module' in algorithm)) return createBalancer(algorithm);
  const factory = env.userAlgorithm?.(algorithm.module);
  if (factory === undefined) {
    throw new RangeError(
      `the balancer module ${algorithm.module} was not loaded (run the scenario with the stacksim CLI, or pass userAlgorithm when building from code)`,
    );
  }
  return guardUserAlgorithm(algorithm.module, factory(algorithm.options) as Balancer);
}
