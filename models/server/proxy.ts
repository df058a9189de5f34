import type {
  ActorRef,
  Behavior,
  Context,
  Distribution,
  SimTime,
  TimerHandle,
} from '../../engine/index.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist } from '../core/dist-spec.ts';
import { IdMap } from '../core/id-map.ts';
import type { Probe } from '../core/probe.ts';
import {
  CONNECTION_FAILURES,
  type HttpRequestMessage,
  type HttpResponse,
  type HttpResponseMessage,
  isConnectionFailure,
  reply,
  response,
} from '../http/messages.ts';
import type { Network } from '../net/network.ts';
import type { FaultMessage } from '../scenario/timeline.ts';
import { CpuScheduler, type CpuTimer } from './cpu.ts';
import { type ProxyConfig, proxySchema } from './proxy-schema.ts';

interface Exchange {
  readonly tag: number;
  readonly msg: HttpRequestMessage;
  readonly arrivedAt: SimTime;
  timer: TimerHandle;
  done: boolean;
  /** When the request leaves for the upstream (after the proxy's CPU work). */
  sentAt: SimTime;
  /** The forwarded request while it may still be withdrawn (-1 when none). */
  forward: TimerHandle;
}

interface ProxyTimer {
  readonly type: 'proxy.timer';
  readonly tag: number;
  readonly why: 'static' | 'connect' | 'read';
}

/** The proxy actor's state. */
export interface ProxyState {
  readonly config: ProxyConfig;
  readonly componentId: string;
  readonly probe: Probe;
  readonly network: Network;
  readonly members: readonly string[];
  upstreams: ActorRef[];
  next: number;
  readonly dists: { handshake?: Distribution; perRequest?: Distribution; overhead: Distribution };
  readonly staticDists: Distribution[];
  readonly cpu: CpuScheduler<Exchange>;
  readonly open: IdMap<Exchange>;
  /** Last time each client address was seen, oldest first (idle connections expire). */
  readonly lastSeen: Map<number, SimTime>;
  /** When expired lastSeen entries were last swept. */
  lastSweep: SimTime;
  down: boolean;
  nextTag: number;
}

/** Upstream reasons that mean the connection failed or broke: NGINX answers 502. */

function finish(s: ProxyState, ctx: Context, x: Exchange, res: HttpResponse): void {
  if (x.done) return;
  x.done = true;
  s.open.delete(x.tag);
  if (x.timer >= 0) ctx.cancel(x.timer);
  s.network.send(ctx, x.msg.replyTo, reply(x.msg.req, x.msg.tag, res), res.size);
  s.probe.complete(ctx.now, res.status, ctx.now - x.arrivedAt);
  if (res.producedBy === s.componentId && res.reason !== 'ok') s.probe.count(res.reason, ctx.now);
  s.probe.busy.set(ctx.now, s.open.size);
}

const fail = (s: ProxyState, status: number, reason: string) =>
  response(status, s.componentId, reason);

/**
 * Whether a request from `ip` needs a new TLS handshake (its connection idled out). Last-use
 * times are updated in place; expired entries are swept every half keepalive period, so memory
 * stays bounded by the clients seen in the last 1.5 keepalive periods. (Deleting and
 * re-inserting per request would leave the Map full of deleted slots to rescan.)
 */
function newConnection(s: ProxyState, ip: number, now: SimTime): boolean {
  const timeout = s.config.keepaliveTimeout;
  const last = s.lastSeen.get(ip);
  s.lastSeen.set(ip, now);
  if (now - s.lastSweep > timeout / 2) {
    s.lastSweep = now;
    for (const [oldIp, t] of s.lastSeen) if (now - t > timeout) s.lastSeen.delete(oldIp);
  }
  return last === undefined || now - last > timeout;
}

function receive(s: ProxyState, msg: HttpRequestMessage, ctx: Context): void {
  if (s.down) {
    // A crashed proxy answers nothing: the client's connection is refused (counted here, but
    // not as a request the proxy handled).
    s.probe.count('refusedWhileDown', ctx.now);
    const res = fail(s, 502, CONNECTION_FAILURES.refused);
    s.network.send(ctx, msg.replyTo, reply(msg.req, msg.tag, res));
    return;
  }
  s.probe.arrive(ctx.now);
  const x: Exchange = {
    tag: s.nextTag++,
    msg,
    arrivedAt: ctx.now,
    timer: -1,
    done: false,
    sentAt: ctx.now,
    forward: -1,
  };
  if (s.open.size >= s.config.maxConnections) {
    finish(s, ctx, x, fail(s, 503, 'max-connections'));
    return;
  }
  s.open.set(x.tag, x);
  s.probe.busy.set(ctx.now, s.open.size);
  const rng = ctx.rng('service');
  let work = s.dists.overhead.sample(rng);
  if (s.dists.perRequest !== undefined) work += s.dists.perRequest.sample(rng);
  if (s.dists.handshake !== undefined && newConnection(s, msg.req.clientIp, ctx.now)) {
    work += s.dists.handshake.sample(rng);
    s.probe.count('tlsHandshakes', ctx.now);
  }
  if (s.cpu.cores !== Number.POSITIVE_INFINITY) {
    s.cpu.submit(ctx, -1, work, x);
    return;
  }
  // Without a cores limit nothing competes for the CPU: the work is a delay known now, so the
  // request is routed at once to leave when it is done (one event fewer per request).
  route(s, x, Math.max(0, Math.round(work * s.cpu.slowFactor)), ctx);
}

/** Routes an exchange whose CPU work ends `lag` µs from now (0 once it has run). */
function route(s: ProxyState, x: Exchange, lag: number, ctx: Context): void {
  const path = x.msg.req.route;
  const i = s.config.static.findIndex((st) => path.startsWith(st.prefix));
  if (i >= 0) {
    s.probe.count('static', ctx.now);
    const t: ProxyTimer = { type: 'proxy.timer', tag: x.tag, why: 'static' };
    x.timer = ctx.after(lag + s.staticDists[i]!.sample(ctx.rng('static')), t);
    return;
  }
  if (s.upstreams.length === 0) s.upstreams = s.members.map((m) => ctx.lookup(m));
  const to = s.upstreams[s.next++ % s.upstreams.length]!;
  const d = s.network.delay(ctx, to, x.msg.req.size);
  if (d < 0) {
    const t: ProxyTimer = { type: 'proxy.timer', tag: x.tag, why: 'connect' };
    x.timer =
      lag > 0
        ? ctx.after(lag + s.config.connectTimeout, t)
        : ctx.timeout(s.config.connectTimeout, t);
    return;
  }
  const fwd: HttpRequestMessage = {
    type: 'http.request',
    req: x.msg.req,
    replyTo: ctx.self,
    tag: x.tag,
  };
  x.sentAt = ctx.now + lag;
  const handle = ctx.send(to, fwd, lag + d);
  if (lag > 0) x.forward = handle;
  // Like proxy_read_timeout, the wait starts once the request is written to the upstream, so
  // the request's transit counts towards it. The timer is armed now; if it fires before
  // sentAt + readTimeout (the CPU lag), the 'read' handler waits out the rest.
  const t: ProxyTimer = { type: 'proxy.timer', tag: x.tag, why: 'read' };
  x.timer = ctx.timeout(s.config.readTimeout, t);
}

function cpuDone(s: ProxyState, msg: CpuTimer, ctx: Context): void {
  for (const x of s.cpu.onTimer(ctx, msg)) if (!x.done) route(s, x, 0, ctx);
}

/** The proxy actor: TLS termination, static files, forwarding with connect/read timeouts. */
export const proxyBehavior: Behavior<ProxyState> = {
  on: {
    'http.request': (s, msg: HttpRequestMessage, ctx) => receive(s, msg, ctx),
    'http.response': (s, msg: HttpResponseMessage, ctx) => {
      const x = s.open.get(msg.tag);
      if (x === undefined) return;
      if (isConnectionFailure(msg.res.reason)) {
        const refused = msg.res.reason === CONNECTION_FAILURES.refused;
        const reason = refused ? 'upstream-refused' : 'upstream-reset';
        finish(s, ctx, x, fail(s, 502, reason));
        return;
      }
      finish(s, ctx, x, msg.res);
    },
    'proxy.timer': (s, msg: ProxyTimer, ctx) => {
      const x = s.open.get(msg.tag);
      if (x === undefined) return;
      x.timer = -1;
      if (msg.why === 'read' && ctx.now < x.sentAt + s.config.readTimeout) {
        x.timer = ctx.after(x.sentAt + s.config.readTimeout - ctx.now, msg);
        return;
      }
      if (msg.why === 'static') {
        const st = s.config.static.find((c) => x.msg.req.route.startsWith(c.prefix));
        finish(s, ctx, x, response(st?.status ?? 200, s.componentId, 'ok'));
        return;
      }
      const reason = msg.why === 'connect' ? 'upstream-connect-timeout' : 'upstream-timeout';
      finish(s, ctx, x, fail(s, 504, reason));
    },
    'cpu.tick': (s, msg: CpuTimer, ctx) => cpuDone(s, msg, ctx),
    'fault.crash': (s, _m: FaultMessage, ctx) => {
      s.down = true;
      s.cpu.cancel(ctx, () => true);
      for (const x of s.open.values()) {
        // A request still in the proxy's CPU never left: the upstream must not see it.
        if (x.forward >= 0 && ctx.now < x.sentAt) ctx.cancel(x.forward);
        finish(s, ctx, x, fail(s, 502, CONNECTION_FAILURES.reset));
      }
    },
    'fault.restart': (s) => {
      s.down = false;
    },
    'fault.slow': (s, msg: FaultMessage & { type: 'fault.slow' }, ctx) =>
      s.cpu.setSlow(ctx, msg.factor),
  },
};

/** Kind `proxy`: an NGINX-like web server / reverse proxy in front of an upstream. */
export const proxyKind = defineComponent({
  type: 'proxy',
  description:
    'Reverse proxy (NGINX-like): TLS termination, static files, round robin over the upstream, connect/read timeouts (502 vs 504), max connections (503).',
  schema: proxySchema,
  replicable: true,
  references: (config) => [
    { path: ['upstream'], id: config.upstream, acceptsGroup: true, carriesRequests: true },
  ],
  build(instance, env) {
    const { config } = instance;
    const probe = env.probe(instance.componentId, instance.actorId);
    probe.capacity = config.maxConnections;
    const state: ProxyState = {
      config,
      componentId: instance.componentId,
      probe,
      network: env.network,
      members: env.members(config.upstream),
      upstreams: [],
      next: 0,
      dists: {
        overhead: buildDurationDist(config.overhead),
        ...(config.tls === undefined
          ? {}
          : {
              handshake: buildDurationDist(config.tls.handshake),
              perRequest: buildDurationDist(config.tls.perRequest),
            }),
      },
      staticDists: config.static.map((st) => buildDurationDist(st.service)),
      cpu: new CpuScheduler<Exchange>(config.cores),
      open: new IdMap(),
      lastSeen: new Map(),
      lastSweep: 0,
      down: false,
      nextTag: 1,
    };
    env.sim.spawn(instance.actorId, proxyBehavior, state);
  },
});
