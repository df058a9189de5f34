import type { ActorRef, Context } from '../../engine/index.ts';
import {
  CONNECTION_FAILURES,
  type HttpRequest,
  type HttpRequestMessage,
  type HttpResponseMessage,
  isConnectionFailure,
  PHASES,
} from '../http/messages.ts';
import { storeInBrowser } from './browser.ts';
import { handshake, tlsRoundTrips } from './connection.ts';
import { needsPreflight, preflightHeaders, preflightVerdict, responseAllowed } from './cors.ts';
import { type ClientState, charge, closeStep, emptyPhases, type Job, newId } from './job.ts';
import { dropSession, keepCookies, loginRequest, needsLogin, withCookies } from './login.ts';
import { endAttempt } from './outcome.ts';
import { type Conn, Pool, type PoolEffects } from './pool.ts';
import { noteWrite } from './rest-headers.ts';

/** Timer messages of a handshake that finished or failed. */
export interface ConnTimer {
  readonly type: 'client.connected' | 'client.connect-failed';
  readonly conn: number;
}

function poolFor(state: ClientState, addr: ActorRef): Pool<Job> {
  let pool = state.pools.get(addr);
  if (pool === undefined) {
    const c = state.config.connection;
    const h2 = c.protocol === 'http2';
    const size = c.poolSize ?? (h2 ? 1 : 6);
    const opts = {
      size,
      capacity: h2 ? c.maxStreams : 1,
      idleTimeout: c.idleTimeout,
      keepAlive: c.keepAlive,
    };
    pool = new Pool<Job>(addr, opts, () => state.nextTag++);
    state.pools.set(addr, pool);
  }
  return pool;
}

/** Asks the pool of `addr` for a connection; the job waits, joins a handshake or proceeds. */
export function connect(state: ClientState, ctx: Context, job: Job, addr: ActorRef): void {
  job.step = 'connect';
  const pool = poolFor(state, addr);
  job.pool = pool;
  apply(state, ctx, pool, pool.acquire(job, ctx.now), undefined);
  if (pool.waiters[pool.waiters.length - 1] === job) {
    job.queued = true;
    state.probe.queue.add(ctx.now, 1);
  }
}

function apply(
  state: ClientState,
  ctx: Context,
  pool: Pool<Job>,
  fx: PoolEffects<Job>,
  conn: Conn | undefined,
) {
  for (const c of fx.opened) startHandshake(state, ctx, pool, c);
  for (const job of fx.ready)
    gotConnection(state, ctx, job, job.conn === conn ? (conn?.tls ?? 0) : 0);
}

function startHandshake(state: ClientState, ctx: Context, pool: Pool<Job>, conn: Conn): void {
  state.conns.set(conn.id, conn);
  state.probe.count('handshakes', ctx.now);
  const cfg = state.config.connection;
  const opener = conn.assigned[0] as Job | undefined;
  const rtts = tlsRoundTrips(cfg, pool.ticket && cfg.resumption, opener?.spec.idempotent ?? false);
  const hs = handshake(() => state.network.delay(ctx, conn.addr, 0, true), rtts);
  if (hs.ok) {
    conn.tls = hs.tls;
    const done: ConnTimer = { type: 'client.connected', conn: conn.id };
    ctx.after(hs.tcp + hs.tls, done);
  } else {
    const failed: ConnTimer = { type: 'client.connect-failed', conn: conn.id };
    ctx.after(hs.after, failed);
  }
}

/** A handshake finished: its jobs (and queued ones that fit) proceed. */
export function onConnected(state: ClientState, ctx: Context, msg: ConnTimer): void {
  const conn = state.conns.get(msg.conn);
  if (conn === undefined) return;
  state.conns.delete(msg.conn);
  const pool = state.pools.get(conn.addr)!;
  if (state.config.connection.tls !== 'none') pool.ticket = true;
  apply(state, ctx, pool, pool.connected(conn, ctx.now), conn);
}

/** A handshake gave up: its jobs end the attempt with 'connect-error'. */
export function onConnectFailed(state: ClientState, ctx: Context, msg: ConnTimer): void {
  const conn = state.conns.get(msg.conn);
  if (conn === undefined) return;
  state.conns.delete(msg.conn);
  const pool = state.pools.get(conn.addr)!;
  const fx = pool.failed(conn, ctx.now);
  for (const job of fx.failed) {
    closeStep(job, 'connect', ctx.now, 'connect');
    endAttempt(state, ctx, job, 0, 'connect-error');
  }
  apply(state, ctx, pool, fx, undefined);
}

/** Gives back the job's connection (closing it unless `reusable`) and serves waiting jobs. */
export function release(state: ClientState, ctx: Context, job: Job, reusable: boolean): void {
  const pool = job.pool;
  if (pool === undefined || job.conn === undefined) return;
  apply(state, ctx, pool, pool.release(job, ctx.now, reusable), undefined);
}

function gotConnection(state: ClientState, ctx: Context, job: Job, tlsTime: number): void {
  if (job.queued) state.probe.queue.add(ctx.now, -1);
  job.queued = false;
  const waited = ctx.now - job.stepStart;
  const tls = Math.min(tlsTime, waited);
  charge(job, 'connect', waited - tls);
  charge(job, 'tls', tls);
  if (job.spans !== undefined) {
    job.spans.push({ component: '', phase: 'connect', start: job.stepStart, end: ctx.now - tls });
    if (tls > 0)
      job.spans.push({ component: '', phase: 'tls', start: ctx.now - tls, end: ctx.now });
  }
  job.stepStart = ctx.now;
  if (needsLogin(state, job, ctx.now)) {
    logIn(state, ctx, job);
    return;
  }
  sendMain(state, ctx, job);
}

/** Sends the job's login request first (cookie sessions without a live session cookie). */
function logIn(state: ClientState, ctx: Context, job: Job): void {
  job.step = 'login';
  state.probe.count('logins', ctx.now);
  send(state, ctx, job, loginRequest(state, job, newId(state), ctx));
}

/** Sends the job's request, after its CORS preflight when one is due. */
function sendMain(state: ClientState, ctx: Context, job: Job): void {
  const { cors } = state.config;
  const { method, headers, route } = job.spec;
  if (cors !== undefined && needsPreflight(method, headers)) {
    if (!state.preflights.has(headers.origin!, route, ctx.now)) {
      job.step = 'preflight';
      state.probe.count('preflights', ctx.now);
      send(state, ctx, job, makeRequest(state, job, true, ctx.now));
      return;
    }
  }
  job.step = 'request';
  send(state, ctx, job, makeRequest(state, job, false, ctx.now));
}

function makeRequest(state: ClientState, job: Job, preflight: boolean, now: number): HttpRequest {
  const s = job.spec;
  const id = !preflight && job.attempt === 0 ? job.id : newId(state);
  return {
    id,
    origin: preflight ? id : job.id,
    attempt: preflight ? 0 : job.attempt,
    client: state.componentId,
    clientIp: job.clientIp,
    method: preflight ? 'OPTIONS' : s.method,
    route: s.route,
    className: preflight ? 'preflight' : s.className,
    key: s.key,
    user: s.user,
    tier: s.tier,
    idempotent: preflight ? true : s.idempotent,
    // A preflight never carries credentials (Fetch: CORS-preflight fetch omits cookies).
    headers: preflight
      ? preflightHeaders(s.method, s.headers)
      : withCookies(state, job, s.route, s.headers, now),
    size: preflight ? 0 : s.size,
    intendedAt: job.intendedAt,
    deadline: job.deadline,
    phases: emptyPhases(),
    spans: job.spans === undefined ? undefined : [],
    ledger: preflight ? undefined : job.ledger,
  };
}

function send(state: ClientState, ctx: Context, job: Job, req: HttpRequest): void {
  const tag = state.nextTag++;
  job.tag = tag;
  job.req = req;
  state.inflight.set(tag, job);
  const msg: HttpRequestMessage = { type: 'http.request', req, replyTo: ctx.self, tag };
  state.network.send(ctx, job.conn!.addr, msg, req.size);
}

/** Charges an attempt's request step: phases the stack recorded, the rest to 'network'. */
export function chargeRequest(job: Job, req: HttpRequest | undefined, now: number): void {
  const elapsed = now - job.stepStart;
  let recorded = 0;
  if (req !== undefined) {
    for (let i = 0; i < PHASES.length; i++) {
      const v = Math.min(req.phases[i]!, elapsed - recorded);
      if (v > 0) {
        job.phases[i]! += v;
        recorded += v;
      }
    }
  }
  charge(job, 'network', elapsed - recorded);
  if (job.spans !== undefined) {
    job.spans.push({ component: '', phase: 'attempt', start: job.stepStart, end: now });
    if (req?.spans !== undefined) job.spans.push(...req.spans);
  }
  job.stepStart = now;
}

/** A response arrived: a preflight unlocks the request; a response ends the attempt. Late ones are counted. */
export function onResponse(state: ClientState, ctx: Context, msg: HttpResponseMessage): void {
  const job = state.inflight.get(msg.tag);
  if (job === undefined) {
    state.probe.count('late', ctx.now);
    return;
  }
  state.inflight.delete(msg.tag);
  const { res } = msg;
  const { cors } = state.config;
  const origin = job.spec.headers.origin;
  if (job.step === 'preflight') {
    closeStep(job, 'preflight', ctx.now, 'request');
    if (res.status >= 300) {
      release(state, ctx, job, true);
      endAttempt(state, ctx, job, res.status, `preflight-${res.reason}`, res.headers.retryAfter);
    } else {
      const { method, headers } = job.spec;
      const maxAge =
        cors === undefined || origin === undefined
          ? undefined
          : preflightVerdict(res, method, headers, cors);
      if (maxAge === undefined) {
        release(state, ctx, job, true);
        endAttempt(state, ctx, job, 0, 'cors-blocked');
      } else {
        state.preflights.store(origin!, job.spec.route, ctx.now, maxAge);
        send(state, ctx, job, makeRequest(state, job, false, ctx.now));
      }
    }
    return;
  }
  chargeRequest(job, msg.req, ctx.now);
  keepCookies(state, job, msg.req.route, res.headers, ctx.now);
  if (job.step === 'login') {
    if (res.status >= 300) {
      release(state, ctx, job, true);
      endAttempt(state, ctx, job, res.status, `login-${res.reason}`, res.headers.retryAfter);
    } else sendMain(state, ctx, job);
    return;
  }
  if (res.status === 401 && !job.relogged && state.config.login !== undefined) {
    if (job.spec.headers.authorization === 'session') {
      // The session is gone (expired, logged out, store restarted): log in again, once.
      job.relogged = true;
      dropSession(state, job);
      state.probe.count('relogins', ctx.now);
      logIn(state, ctx, job);
      return;
    }
  }
  release(state, ctx, job, true);
  if (cors !== undefined && origin !== undefined && !responseAllowed(res, job.spec.headers, cors)) {
    // A simple cross-origin request: the server did the work, the browser hides the answer.
    endAttempt(state, ctx, job, 0, 'cors-blocked');
    return;
  }
  if (isConnectionFailure(res.reason)) {
    // The server this client is connected to refused or dropped the connection: there is no
    // HTTP response, only a transport error (what curl reports as "connection refused" or
    // "connection reset by peer"); intermediaries turn their upstreams' failures into 502s.
    const refused = res.reason === CONNECTION_FAILURES.refused;
    endAttempt(state, ctx, job, 0, refused ? 'connect-error' : 'connection-reset');
    return;
  }
  const status = storeInBrowser(state, ctx.now, job, res);
  noteWrite(state, job, res, ctx.now);
  endAttempt(state, ctx, job, status, res.reason, res.headers.retryAfter);
}
