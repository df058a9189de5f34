import { z } from 'zod';
import type { ActorRef, Behavior, Context, SimTime } from '../../engine/index.ts';
import type { StoreCall, StoreReply, StoreScript } from '../core/call.ts';
import { type BuildEnv, defineComponent } from '../core/component.ts';
import type { Probe } from '../core/probe.ts';
import { duration } from '../core/units.ts';
import {
  addPhase,
  type HttpRequest,
  type HttpRequestMessage,
  type HttpResponse,
  type HttpResponseMessage,
  reply,
  response,
  throughIntermediary,
} from '../http/messages.ts';
import type { Decision } from './algorithm.ts';
import { statsFor } from './component-stats.ts';
import { componentLimiterFields, Limiter, storedSpec, type Verdict } from './limiter.ts';
import {
  counterDecision,
  failureDecision,
  type StoreSpec,
  type StoreWait,
  storeSpec,
  windowKey,
} from './shared.ts';
import {
  atomicScript,
  decideRead,
  multiScript,
  readScript,
  type ScriptedSpec,
  scriptedKey,
} from './store-scripts.ts';

/** Config of a `rate-limiter` component: the limiter fields, the upstream and optional store. */
export const rateLimiterSchema = z
  .strictObject({
    upstream: z
      .string()
      .min(1)
      .describe('where admitted requests go (a group is used round-robin)'),
    ...componentLimiterFields,
    store: storeSpec()
      .optional()
      .describe('share fixed-window, sliding-log or token-bucket state through a kv-store'),
    burstWindow: duration()
      .default(1_000_000)
      .describe('counters.admittedBurst: most admissions of one key in one aligned window of this'),
    admittedProbe: z
      .boolean()
      .default(false)
      .describe('also report admitted requests alone as component "<id>.admitted" (latency, p99)'),
  })
  .refine(
    (c) =>
      c.store === undefined ||
      [c.algorithm, ...Object.values(c.tiers)].every(
        (a) => a === undefined || storedSpec(a) !== undefined,
      ),
    {
      error:
        'a shared store holds fixed-window, sliding-log or token-bucket state: use one of those algorithms',
      path: ['store'],
    },
  )
  .refine(
    (c) =>
      c.store?.mode !== 'multi' ||
      [c.algorithm, ...Object.values(c.tiers)].every(
        (a) => a === undefined || storedSpec(a)?.algorithm !== 'token-bucket',
      ),
    {
      error:
        'store.mode "multi" (MULTI/EXEC, no conditional write) cannot take a token; a token bucket needs "atomic" (a Lua script)',
      path: ['store', 'mode'],
    },
  );

/** A parsed rate-limiter config. */
export type RateLimiterConfig = z.output<typeof rateLimiterSchema>;

interface Pending {
  readonly req: HttpRequest;
  readonly replyTo: ActorRef;
  /** The caller's tag, echoed in our answer. */
  readonly callerTag: number;
  /** Our tag for the upstream hop and timers. */
  readonly tag: number;
  readonly arrived: SimTime;
  forwardedAt: SimTime;
  verdict: Verdict | undefined;
  admitted: boolean;
}

interface State {
  readonly componentId: string;
  readonly config: RateLimiterConfig;
  readonly limiter: Limiter;
  readonly probe: Probe;
  /** Probe of admitted requests only (admittedProbe), undefined otherwise. */
  readonly admittedProbe: Probe | undefined;
  readonly env: BuildEnv;
  upstream: ActorRef[];
  rr: number;
  store: ActorRef | undefined;
  readonly pending: Map<number, Pending>;
  readonly waits: Map<number, StoreWait>;
  nextTag: number;
  down: boolean;
}

interface TagMessage {
  readonly type: string;
  readonly tag: number;
}

function tagged(type: string, tag: number): TagMessage {
  return { type, tag };
}

function answer(s: State, ctx: Context, p: Pending, res: HttpResponse): void {
  s.pending.delete(p.tag);
  s.probe.complete(ctx.now, res.status, ctx.now - p.arrived);
  if (p.admitted) s.admittedProbe?.complete(ctx.now, res.status, ctx.now - p.arrived);
  s.env.network.send(ctx, p.replyTo, reply(p.req, p.callerTag, res), res.size);
}

function forward(s: State, ctx: Context, p: Pending): void {
  const to = s.upstream[s.rr++ % s.upstream.length]!;
  p.forwardedAt = ctx.now;
  const msg: HttpRequestMessage = {
    type: 'http.request',
    req: p.req,
    replyTo: ctx.self,
    tag: p.tag,
  };
  s.env.network.send(ctx, to, msg, p.req.size);
}

function proceed(s: State, ctx: Context, p: Pending, v: Verdict): void {
  p.verdict = v;
  if (!v.allowed) {
    s.probe.count(v.reason === 'locked-out' ? 'lockedOut' : 'rejected', ctx.now);
    const status = v.status ?? s.config.status;
    answer(s, ctx, p, response(status, s.componentId, v.reason, 0, v.headers ?? {}));
    return;
  }
  s.probe.count('allowed', ctx.now);
  p.admitted = true;
  s.admittedProbe?.arrive(ctx.now);
  const delay = v.delay ?? 0;
  if (delay > 0) {
    s.probe.count('delayed', ctx.now);
    addPhase(p.req, 'queue', s.componentId, ctx.now, ctx.now + delay);
    ctx.after(delay, tagged('ratelimit.release', p.tag));
    return;
  }
  forward(s, ctx, p);
}

function sharedSpec(s: State, req: HttpRequest) {
  if (s.config.store === undefined || !s.limiter.applies(req)) return undefined;
  const spec = s.config.tiers[req.tier] ?? s.config.algorithm;
  return storedSpec(spec);
}

function callStore(
  s: State,
  ctx: Context,
  w: StoreWait,
  op: StoreCall['op'],
  amount: number,
  req: HttpRequest,
  script?: StoreScript,
) {
  const tag = s.nextTag++;
  w.op = op as StoreWait['op'];
  w.timer = ctx.timeout(
    (s.config.store as StoreSpec).timeout,
    tagged('ratelimit.store-timeout', tag),
  );
  s.waits.set(tag, w);
  s.probe.count('storeCalls', ctx.now);
  const call: StoreCall = {
    type: 'store.call',
    op,
    key: w.storeKey,
    amount,
    ttl: w.window + (s.config.store as StoreSpec).timeout, // outlives in-flight calls of the window
    ...(script === undefined ? {} : { script }),
    req,
    replyTo: ctx.self,
    tag,
  };
  s.env.network.send(ctx, s.store!, call, 64);
}

function settle(s: State, ctx: Context, w: StoreWait, d: Decision): void {
  const p = s.pending.get(w.pendingTag);
  if (p === undefined) return;
  s.limiter.stats.storeRoundTrip.record(ctx.now - w.startedAt);
  addPhase(p.req, 'cache', s.componentId, w.startedAt, ctx.now);
  s.limiter.stats.record(w.key, p.req.tier, w.startedAt, d.allowed);
  proceed(s, ctx, p, s.limiter.verdict(d));
}

function storeFailed(s: State, ctx: Context, w: StoreWait): void {
  const spec = s.config.store as StoreSpec;
  s.probe.count(spec.failure === 'open' ? 'storeFailOpen' : 'storeFailClosed', ctx.now);
  settle(s, ctx, w, failureDecision(spec, w.limit, w.window, ctx.now));
}

/** A sliding log or token bucket in the store: one Lua script (atomic) or read, then write. */
function startScripted(
  s: State,
  ctx: Context,
  p: Pending,
  spec: ScriptedSpec,
  key: string | number,
): void {
  const mode = s.config.store!.mode;
  const atomic = mode !== 'read-then-write';
  const w: StoreWait = {
    pendingTag: p.tag,
    op: 'eval',
    storeKey: scriptedKey(spec, key),
    key,
    limit: spec.algorithm === 'sliding-log' ? spec.limit : spec.burst,
    window: spec.algorithm === 'sliding-log' ? spec.window : 1_000_000,
    startedAt: ctx.now,
    timer: 0,
    value: 0,
    scripted: { spec, phase: atomic ? 'atomic' : 'read' },
  };
  const script = (mode === 'multi' ? multiScript : atomic ? atomicScript : readScript)(
    spec,
    ctx.now,
  );
  callStore(s, ctx, w, 'eval', 1, p.req, script);
}

function scriptReplied(s: State, ctx: Context, w: StoreWait, data: unknown) {
  const sc = w.scripted!;
  if (sc.phase === 'atomic') return settle(s, ctx, w, data as Decision);
  if (sc.phase === 'write') return settle(s, ctx, w, w.decision!);
  // the request's instant, as the limiter passed it to the read (ARGV now)
  const { decision, write } = decideRead(sc.spec, data, w.startedAt);
  const p = s.pending.get(w.pendingTag);
  if (write === undefined || p === undefined) return settle(s, ctx, w, decision);
  w.decision = decision;
  sc.phase = 'write';
  callStore(s, ctx, w, 'eval', 1, p.req, write);
}

const behavior: Behavior<State> = {
  on: {
    'sim.start'(s, _m, ctx) {
      s.upstream = s.env.members(s.config.upstream).map((id) => ctx.lookup(id));
      if (s.config.store !== undefined) s.store = ctx.lookup(s.env.members(s.config.store.id)[0]!);
    },
    'http.request'(s, m: HttpRequestMessage, ctx) {
      s.probe.arrive(ctx.now);
      const p: Pending = {
        req: m.req,
        replyTo: m.replyTo,
        callerTag: m.tag,
        tag: s.nextTag++,
        arrived: ctx.now,
        forwardedAt: 0,
        verdict: undefined,
        admitted: false,
      };
      s.pending.set(p.tag, p);
      if (s.down) {
        answer(s, ctx, p, response(503, s.componentId, 'limiter-down'));
        return;
      }
      const spec = sharedSpec(s, m.req);
      if (spec === undefined) {
        proceed(s, ctx, p, s.limiter.admit(m.req, ctx.now));
        return;
      }
      const key = s.limiter.keyOf(m.req);
      if (spec.algorithm !== 'fixed-window') return startScripted(s, ctx, p, spec, key);
      const w: StoreWait = {
        pendingTag: p.tag,
        op: 'incr',
        storeKey: windowKey(key, ctx.now, spec.window),
        key,
        limit: spec.limit,
        window: spec.window,
        startedAt: ctx.now,
        timer: 0,
        value: 0,
      };
      const atomic = s.config.store!.mode !== 'read-then-write'; // MULTI INCR EXPIRE is atomic
      callStore(s, ctx, w, atomic ? 'incr' : 'get', 1, m.req);
    },
    'store.reply'(s, m: StoreReply, ctx) {
      const w = s.waits.get(m.tag);
      if (w === undefined) return;
      s.waits.delete(m.tag);
      ctx.cancel(w.timer);
      if (m.outcome !== 'ok' && m.outcome !== 'hit' && m.outcome !== 'miss')
        return storeFailed(s, ctx, w);
      if (w.scripted !== undefined) return scriptReplied(s, ctx, w, m.data);
      if (w.op === 'incr')
        return settle(s, ctx, w, counterDecision(m.value, w.limit, w.window, ctx.now));
      if (w.op === 'set')
        return settle(s, ctx, w, counterDecision(w.value, w.limit, w.window, ctx.now));
      const seen = m.outcome === 'miss' ? 0 : m.value;
      w.value = seen + 1;
      const p = s.pending.get(w.pendingTag);
      if (w.value > w.limit || p === undefined)
        return settle(s, ctx, w, counterDecision(w.value, w.limit, w.window, ctx.now));
      callStore(s, ctx, w, 'set', w.value, p.req);
    },
    'ratelimit.store-timeout'(s, m: { tag: number }, ctx) {
      const w = s.waits.get(m.tag);
      if (w === undefined) return;
      s.waits.delete(m.tag);
      s.probe.count('storeTimeouts', ctx.now);
      storeFailed(s, ctx, w);
    },
    'ratelimit.release'(s, m: { tag: number }, ctx) {
      const p = s.pending.get(m.tag);
      if (p !== undefined) forward(s, ctx, p);
    },
    'http.response'(s, m: HttpResponseMessage, ctx) {
      const p = s.pending.get(m.tag);
      if (p === undefined) return;
      s.limiter.complete(p.req, ctx.now, m.res.status, ctx.now - p.forwardedAt);
      const res = throughIntermediary(m.res, s.componentId);
      const headers = { ...p.verdict?.headers, ...res.headers };
      answer(s, ctx, p, { ...res, headers });
    },
    'fault.crash'(s) {
      s.down = true;
    },
    'fault.restart'(s) {
      s.down = false;
    },
  },
};

/**
 * The `rate-limiter` component: sits on the request path (edge proxy, API gateway, in front of
 * a balancer), answers 429/503 itself or forwards to `upstream`, delaying when the algorithm
 * says so. Each replica keeps its own local state; with `store` all replicas share counters.
 */
export const rateLimiterKind = defineComponent({
  type: 'rate-limiter',
  description:
    'A rate limiter on the request path: rejects (429/503), delays or forwards requests.',
  schema: rateLimiterSchema as unknown as z.ZodObject<any>,
  replicable: true,
  references(config: RateLimiterConfig) {
    const refs = [
      { path: ['upstream'], id: config.upstream, acceptsGroup: true, carriesRequests: true },
    ];
    if (config.store !== undefined) {
      refs.push({
        path: ['store', 'id'],
        id: config.store.id,
        acceptsGroup: false,
        carriesRequests: false,
      });
    }
    return refs;
  },
  build(instance, env) {
    const config = instance.config as RateLimiterConfig;
    const probe = env.probe(instance.componentId, instance.actorId);
    const stats = statsFor(env, instance.componentId, config, probe);
    const state: State = {
      componentId: instance.componentId,
      config,
      limiter: new Limiter(config, stats, env.userAlgorithm),
      probe,
      admittedProbe: config.admittedProbe
        ? env.probe(`${instance.componentId}.admitted`, `${instance.actorId}.admitted`)
        : undefined,
      env,
      upstream: [],
      rr: instance.replica,
      store: undefined,
      pending: new Map(),
      waits: new Map(),
      nextTag: 1,
      down: false,
    };
    env.sim.spawn(instance.actorId, behavior, state);
  },
});
