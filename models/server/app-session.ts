import type { Context } from '../../engine/index.ts';
import type { StoreReply } from '../core/call.ts';
import type { HttpRequest, SetCookie } from '../http/messages.ts';
import { sendCall } from './app-calls.ts';
import { advance } from './app-exec.ts';
import { finishJob } from './app-lifecycle.ts';
import type { AppState, Fiber, Job } from './app-state.ts';
import { callOp, type Op } from './ops.ts';
import type { CompiledRoute } from './router.ts';
import type { SessionsConfig } from './session-schema.ts';

type CallOp = Op & { k: 'call' };

/** Login routes end by storing a new session, logout routes by deleting it (sessions config). */
export function withSessionOps(
  routes: CompiledRoute[],
  sessions: SessionsConfig | undefined,
): CompiledRoute[] {
  if (sessions === undefined) return routes;
  const timeout = sessions.timeout === undefined ? {} : { timeout: sessions.timeout };
  const ttl = Math.min(sessions.idleTimeout, sessions.absoluteTimeout);
  return routes.map((r) => {
    if (r.spec.session === 'login') {
      const op = callOp(sessions.store, 'set', 'session-new', { ...timeout, ttl });
      return { ...r, ops: [...r.ops, op] };
    }
    if (r.spec.session === 'logout') {
      const op = callOp(sessions.store, 'delete', 'session-end', timeout);
      return { ...r, ops: [...r.ops, op] };
    }
    return r;
  });
}

/** The session id the request's cookie `name` carries, if it is one. */
export function sessionIdOf(req: HttpRequest, name: string): number | undefined {
  const v = req.headers.cookies?.[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Key (and stored value) of a session call; a login draws the new session's id here. */
export function sessionCallKey(
  s: AppState,
  job: Job,
  op: CallOp,
  ctx: Context,
): { key: number; value?: number } {
  if (op.purpose === 'session-new') {
    const id = ctx.self * 2 ** 32 + s.nextSession++;
    job.session = id;
    return { key: id, value: ctx.now };
  }
  const name = s.config.sessions?.cookie.name ?? 'sid';
  return { key: job.session ?? sessionIdOf(job.msg.req, name) ?? -1 };
}

function cookieOf(cfg: SessionsConfig, value: string, maxAge: number): SetCookie {
  const c = cfg.cookie;
  return {
    name: c.name,
    value,
    maxAge,
    path: c.path,
    secure: c.secure,
    httpOnly: c.httpOnly,
    sameSite: c.sameSite,
    ...(c.domain === undefined ? {} : { domain: c.domain }),
  };
}

function setCookie(job: Job, cookie: SetCookie): void {
  job.headers = { ...job.headers, setCookie: [...(job.headers.setCookie ?? []), cookie] };
}

/**
 * Continues a fiber after a session call: a lookup that misses or finds an expired session
 * ends with 401, a live one is refreshed (idle timeout) and the request goes on; a login sets
 * the cookie, a logout clears it. A failed store is fail-closed (failStatus) or fail-open.
 */
export function afterSessionCall(
  s: AppState,
  fiber: Fiber,
  op: CallOp,
  outcome: StoreReply['outcome'],
  data: number | undefined,
  ctx: Context,
): void {
  const job = fiber.job;
  const cfg = s.config.sessions!;
  const failed = outcome === 'timeout' || outcome === 'error' || outcome === 'refused';
  if (op.purpose === 'session-get') {
    if (failed) {
      if (cfg.onStoreFailure === 'fail-open') {
        s.probe.count('sessionFailOpen', ctx.now);
        advance(s, fiber, ctx);
      } else finishJob(s, job, cfg.failStatus, `session-store-${outcome}`, ctx);
      return;
    }
    if (outcome === 'miss') {
      finishJob(s, job, 401, 'session-missing', ctx);
      return;
    }
    const created = data ?? ctx.now;
    const left = created + cfg.absoluteTimeout - ctx.now;
    if (left <= 0) {
      sendCall(s, ctx, op.store, 'delete', job.session!, 0, job);
      finishJob(s, job, 401, 'session-expired', ctx);
      return;
    }
    // Each use pushes the idle expiry back (express-session `rolling`, Redis EXPIRE): the
    // write goes out without the request waiting for it.
    const ttl = Math.min(cfg.idleTimeout, left);
    sendCall(s, ctx, op.store, 'set', job.session!, 0, job, undefined, ttl, created);
    advance(s, fiber, ctx);
    return;
  }
  if (failed) {
    const status = outcome === 'timeout' ? s.config.callTimeoutStatus : s.config.callErrorStatus;
    finishJob(s, job, status, `session-store-${outcome}`, ctx);
    return;
  }
  if (op.purpose === 'session-new') {
    const maxAge = Math.round((cfg.cookie.maxAge ?? cfg.absoluteTimeout) / 1_000_000);
    setCookie(job, cookieOf(cfg, String(job.session), maxAge));
    s.probe.count('sessionsIssued', ctx.now);
  } else {
    setCookie(job, cookieOf(cfg, '', 0));
    s.probe.count('sessionsEnded', ctx.now);
  }
  advance(s, fiber, ctx);
}
