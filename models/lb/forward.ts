import type { Context } from '../../engine/index.ts';
import {
  addPhase,
  CONNECTION_FAILURES,
  type HttpResponse,
  isConnectionFailure,
  reply,
  response,
} from '../http/messages.ts';
import { type Attempt, type ClientEntry, type LbState, later, type TagMessage } from './state.ts';
import { withoutTried } from './tried-view.ts';

type FailureKind = 'error' | 'timeout' | 'http_500' | 'http_502' | 'http_503' | 'http_504';

/** Status the balancer itself returns, per error convention (NGINX 502 vs Envoy/HAProxy 503). */
function failureStatus(state: LbState, what: 'no-live' | 'connect' | 'timeout'): HttpResponse {
  const id = state.componentId;
  if (what === 'timeout') return response(504, id, 'upstream-timeout');
  const nginx = state.config.errors === 'nginx';
  if (what === 'no-live') return response(nginx ? 502 : 503, id, 'no-live-upstreams');
  return response(nginx ? 502 : 503, id, 'upstream-connect-failure');
}

/** Answers the client and forgets the entry. */
export function answer(state: LbState, entry: ClientEntry, res: HttpResponse, ctx: Context): void {
  state.held--;
  state.probe.complete(ctx.now, res.status, ctx.now - entry.arrivedAt);
  state.env.network.send(ctx, entry.replyTo, reply(entry.req, entry.tag, res), res.size);
}

function pinned(state: LbState, entry: ClientEntry, now: number): number {
  const c = state.conns.get(entry.connKey);
  if (c === undefined || now - c.lastUsed > state.config.connectionIdle) return -1;
  return state.set.isEligible(c.backend) ? c.backend : -1;
}

/** Chooses a backend for the entry: L4 pinning, then the algorithm over the backends not tried. */
function choose(state: LbState, entry: ClientEntry, ctx: Context): number {
  const { set, balancer } = state;
  set.now = ctx.now;
  if (state.config.layer === 'L4') {
    for (const [key, c] of state.conns) {
      if (ctx.now - c.lastUsed <= state.config.connectionIdle) break;
      state.conns.delete(key);
    }
    let i = pinned(state, entry, ctx.now);
    if (i < 0) i = balancer.pick(set, entry.req, ctx.rng('lb'));
    if (i >= 0) {
      state.conns.delete(entry.connKey);
      state.conns.set(entry.connKey, { backend: i, lastUsed: ctx.now });
    }
    return i;
  }
  if (entry.tried.length === 0) return balancer.pick(set, entry.req, ctx.rng('lb'));
  // A retry chooses among the backends not tried yet, as NGINX's get_peer skips tried peers.
  const view = withoutTried(set, entry.tried);
  return view.eligible.length === 0 ? -1 : balancer.pick(view, entry.req, ctx.rng('lb'));
}

/** Routes a held request: picks a backend, queues when it is full, or fails with 502/503. */
export function dispatch(state: LbState, entry: ClientEntry, ctx: Context): void {
  const i = choose(state, entry, ctx);
  if (i < 0) {
    answer(state, entry, failureStatus(state, 'no-live'), ctx);
    return;
  }
  if (!state.set.full(i)) {
    send(state, entry, i, ctx);
    return;
  }
  const { timeoutQueue, maxQueue } = state.config;
  if (timeoutQueue === 0 || (maxQueue > 0 && state.queue.length >= maxQueue)) {
    state.probe.count('queue_rejected', ctx.now);
    answer(state, entry, response(503, state.componentId, 'backend-full'), ctx);
    return;
  }
  entry.queuedAt = ctx.now;
  entry.queueTimer = later(ctx, timeoutQueue, { type: 'lb.queue-timeout', entry });
  state.queue.push(entry);
  state.probe.queue.add(ctx.now, 1);
}

/** A queued request waited timeoutQueue without a slot: 503 (HAProxy sQ). */
export function onQueueTimeout(state: LbState, msg: { entry: ClientEntry }, ctx: Context): void {
  const k = state.queue.indexOf(msg.entry);
  if (k < 0) return;
  state.queue.splice(k, 1);
  state.probe.queue.add(ctx.now, -1);
  state.probe.count('queue_timeouts', ctx.now);
  answer(state, msg.entry, response(503, state.componentId, 'queue-timeout'), ctx);
}

/** A slot at backend i freed: the oldest queued request takes it (HAProxy backend queue). */
function drain(state: LbState, i: number, ctx: Context): void {
  if (state.queue.length === 0 || !state.set.isEligible(i) || state.set.full(i)) return;
  const entry = state.queue.shift()!;
  state.probe.queue.add(ctx.now, -1);
  ctx.cancel(entry.queueTimer);
  addPhase(entry.req, 'queue', state.componentId, entry.queuedAt, ctx.now);
  if (state.config.layer === 'L4')
    state.conns.set(entry.connKey, { backend: i, lastUsed: ctx.now });
  send(state, entry, i, ctx);
}

/** Sends one attempt of the entry to backend i over the network, with its timeout. */
export function send(state: LbState, entry: ClientEntry, i: number, ctx: Context): void {
  const tag = state.nextTag++;
  if (entry.firstSentAt < 0) entry.firstSentAt = ctx.now;
  entry.tried.push(i);
  const expiry: TagMessage = { type: 'lb.timeout', tag };
  const timer = ctx.timeout(state.config.timeout, expiry);
  state.attempts.set(tag, { entry, backend: i, sentAt: ctx.now, timer });
  state.set.open(i);
  state.spread?.add(i);
  state.balancer.onStart?.(i, ctx.now);
  const msg = { type: 'http.request', req: entry.req, replyTo: ctx.self, tag } as const;
  state.env.network.send(ctx, state.refs[i]!, msg, entry.req.size);
}

/** The backend's answer with the balancer's stickiness cookie added, when it sets one. */
function withCookie(state: LbState, a: Attempt, res: HttpResponse, ctx: Context): HttpResponse {
  const cookie = state.balancer.cookieFor?.(a.backend, a.entry.req, state.set);
  if (cookie === undefined) return res;
  // A client whose cookie named another backend (down, or gone) is moved: its state there is lost.
  const held = a.entry.req.headers.cookies?.[cookie.name] !== undefined;
  state.probe.count(held ? 'sticky_rebinds' : 'sticky_binds', ctx.now);
  const setCookie = [...(res.headers.setCookie ?? []), cookie];
  return { ...res, headers: { ...res.headers, setCookie } };
}

function close(state: LbState, a: Attempt, ok: boolean, ctx: Context): void {
  state.set.close(a.backend);
  state.balancer.onEnd?.(a.backend, ctx.now, ctx.now - a.sentAt, ok);
}

function canRetry(state: LbState, entry: ClientEntry, kind: FailureKind, now: number): boolean {
  const r = state.config.retry;
  if (state.config.layer === 'L4' || !r.on.includes(kind)) return false;
  if (!entry.req.idempotent && !r.nonIdempotent && kind !== 'error') return false;
  if (entry.tried.length >= (r.tries === 0 ? state.set.n : r.tries)) return false;
  return r.timeout === 0 || now - entry.firstSentAt < r.timeout;
}

function failed(state: LbState, a: Attempt, kind: FailureKind, res: HttpResponse, ctx: Context) {
  if (canRetry(state, a.entry, kind, ctx.now)) {
    state.probe.count('retries', ctx.now);
    dispatch(state, a.entry, ctx);
  } else answer(state, a.entry, res, ctx);
}

function kindOf(res: HttpResponse): FailureKind | undefined {
  if (isConnectionFailure(res.reason)) return 'error';
  if (res.status === 500) return 'http_500';
  if (res.status === 502) return 'http_502';
  if (res.status === 503) return 'http_503';
  if (res.status === 504) return 'http_504';
  return undefined;
}

/** A backend answered attempt `tag`: health bookkeeping, then pass through, retry or map. */
export function onBackendResponse(
  state: LbState,
  tag: number,
  res: HttpResponse,
  ctx: Context,
): void {
  const a = state.attempts.get(tag);
  if (a === undefined) {
    state.probe.count('late_responses', ctx.now);
    return;
  }
  state.attempts.delete(tag);
  ctx.cancel(a.timer);
  const kind = kindOf(res);
  const failure = kind === 'error' || (kind !== undefined && state.config.retry.on.includes(kind));
  close(state, a, kind === undefined, ctx);
  state.health.onRequest(ctx, a.backend, failure, res.status >= 500);
  if (kind === undefined) answer(state, a.entry, withCookie(state, a, res, ctx), ctx);
  else if (kind === 'error') failed(state, a, kind, failureStatus(state, 'connect'), ctx);
  else failed(state, a, kind, res, ctx);
  drain(state, a.backend, ctx);
}

/** Attempt `tag` got no answer within the upstream timeout: 504 (L4: the connection is reset). */
export function onAttemptTimeout(state: LbState, tag: number, ctx: Context): void {
  const a = state.attempts.get(tag);
  if (a === undefined) return;
  state.attempts.delete(tag);
  state.probe.count('upstream_timeouts', ctx.now);
  close(state, a, false, ctx);
  state.health.onRequest(ctx, a.backend, true, true);
  const res =
    state.config.layer === 'L4'
      ? response(502, state.componentId, CONNECTION_FAILURES.reset)
      : failureStatus(state, 'timeout');
  failed(state, a, 'timeout', res, ctx);
  drain(state, a.backend, ctx);
}
