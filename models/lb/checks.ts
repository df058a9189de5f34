import type { Context } from '../../engine/index.ts';
import { hashString } from '../../engine/index.ts';
import {
  type HttpRequest,
  type HttpRequestMessage,
  type HttpResponse,
  newPhases,
} from '../http/messages.ts';
import type { LbState, TagMessage } from './state.ts';

/** Timer message: time to check backend i. */
export interface CheckTick {
  readonly type: 'lb.check';
  readonly i: number;
}

/** Builds the GET request of an active health check (a negative id keeps it apart from traffic). */
export function checkRequest(state: LbState, ctx: Context, route: string): HttpRequest {
  const id = -((hashString(ctx.id) % 1_000_000) * 1_000_000_000 + state.checkSeq++) - 1;
  return {
    id,
    origin: id,
    attempt: 0,
    client: state.componentId,
    clientIp: 0,
    method: 'GET',
    route,
    className: 'healthcheck',
    key: 0,
    user: 0,
    tier: '',
    idempotent: true,
    headers: {},
    size: 0,
    intendedAt: ctx.now,
    phases: newPhases(),
    spans: undefined,
  };
}

/** Schedules the first check of every backend, spread over one interval. */
export function startChecks(state: LbState, ctx: Context): void {
  const a = state.config.activeCheck;
  if (a === undefined) return;
  const n = state.set.n;
  for (let i = 0; i < n; i++) {
    const tick: CheckTick = { type: 'lb.check', i };
    ctx.after(Math.floor((a.interval * i) / n), tick);
  }
}

/** Sends one check to backend i (unless one is pending or it is not provisioned) and re-arms. */
export function onCheckTick(state: LbState, msg: CheckTick, ctx: Context): void {
  const a = state.config.activeCheck;
  if (a === undefined) return;
  ctx.after(a.interval, msg);
  const i = msg.i;
  if (state.checking[i] === 1 || state.set.active[i] === 0) return;
  state.checking[i] = 1;
  const tag = state.nextTag++;
  const timeout: TagMessage = { type: 'lb.check-timeout', tag };
  const timer = ctx.timeout(a.timeout, timeout);
  state.checks.set(tag, { backend: i, timer });
  state.probe.count('checks', ctx.now);
  const req = checkRequest(state, ctx, a.route);
  const out: HttpRequestMessage = { type: 'http.request', req, replyTo: ctx.self, tag };
  state.env.network.send(ctx, state.refs[i]!, out, 0);
}

/** A check answered (ok = 2xx/3xx) or timed out (res undefined). */
export function onCheckResult(
  state: LbState,
  tag: number,
  res: HttpResponse | undefined,
  ctx: Context,
) {
  const c = state.checks.get(tag);
  if (c === undefined) return false;
  state.checks.delete(tag);
  state.checking[c.backend] = 0;
  if (res !== undefined) ctx.cancel(c.timer);
  const ok = res !== undefined && res.status < 400;
  if (!ok) state.probe.count('check_failures', ctx.now);
  state.health.onCheck(ctx, c.backend, ok);
  return true;
}
