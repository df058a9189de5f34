import type { Context, SimTime } from '../../engine/index.ts';
import {
  addPhase,
  CONNECTION_FAILURES,
  type HttpRequestMessage,
  NO_HEADERS,
  reply,
  response,
} from '../http/messages.ts';
import { runJob } from './app-exec.ts';
import { completeClaim } from './app-rest.ts';
import type { AppState, Job } from './app-state.ts';

/** Timer: a worker ran one request longer than workerTimeout (gunicorn kills it). */
export interface WorkerTimeoutTimer {
  readonly type: 'app.worker-timeout';
  readonly job: number;
}

/** Timer: a killed worker has been replaced and takes requests again. */
export interface RespawnTimer {
  readonly type: 'app.respawn';
  readonly worker: number;
}

const timeoutTimer = (job: number): WorkerTimeoutTimer => ({ type: 'app.worker-timeout', job });
const respawnTimer = (worker: number): RespawnTimer => ({ type: 'app.respawn', worker });

function freeWorker(s: AppState): number {
  let best = -1;
  for (let i = 0; i < s.workers.length; i++) {
    const w = s.workers[i]!;
    if (w.down || w.busy >= s.slotsPerWorker) continue;
    if (best < 0 || w.busy < s.workers[best]!.busy) best = i;
  }
  return best;
}

/** Bytes of the answer's body: the route's responseSize on a 2xx to anything but HEAD. */
function bodySize(job: Job, status: number): number {
  const match = job.route?.match;
  if (match?.kind !== 'found' || status < 200 || status >= 300) return 0;
  return job.msg.req.method === 'HEAD' ? 0 : match.route.spec.responseSize;
}

/** Answers a request that never got a job (server down, overflow): it arrives and ends now. */
function refuse(
  s: AppState,
  msg: HttpRequestMessage,
  status: number,
  reason: string,
  ctx: Context,
): void {
  s.probe.arrive(ctx.now);
  s.probe.complete(ctx.now, status, 0);
  s.probe.count(reason, ctx.now);
  s.env.network.send(
    ctx,
    msg.replyTo,
    reply(msg.req, msg.tag, response(status, s.componentId, reason)),
  );
}

/** Admits a request: straight to a free worker, into the backlog, or refused on overflow. */
export function admit(s: AppState, msg: HttpRequestMessage, ctx: Context): void {
  if (s.down) {
    // A crashed process answers nothing: the caller's connection is refused. Counted, but not
    // as a request this server handled.
    s.probe.count('refusedWhileDown', ctx.now);
    const res = response(502, s.componentId, CONNECTION_FAILURES.refused);
    s.env.network.send(ctx, msg.replyTo, reply(msg.req, msg.tag, res));
    return;
  }
  const w = s.backlog.length === 0 ? freeWorker(s) : -1;
  const { model, limitConcurrency } = s.config.concurrency;
  if (w < 0 && model === 'event-loop' && limitConcurrency !== undefined) {
    refuse(s, msg, 503, 'concurrency-limit', ctx);
    return;
  }
  if (w < 0 && s.backlog.length >= s.config.backlog) {
    if (s.config.overflow === '503') refuse(s, msg, 503, 'backlog-full', ctx);
    else refuse(s, msg, 502, CONNECTION_FAILURES.refused, ctx);
    return;
  }
  const job: Job = {
    id: s.nextJob++,
    msg,
    arrivedAt: ctx.now,
    startedAt: -1,
    worker: -1,
    status: 200,
    headers: NO_HEADERS,
    done: false,
    timeout: -1,
    tags: [],
    inCpu: 0,
    callTime: 0,
    route: undefined,
  };
  s.jobs.set(job.id, job);
  s.probe.arrive(ctx.now);
  if (w >= 0) {
    start(s, job, w, ctx);
    return;
  }
  s.backlog.push(job);
  s.probe.queue.add(ctx.now, 1);
  s.probe.count('queued', ctx.now);
}

function start(s: AppState, job: Job, w: number, ctx: Context): void {
  const worker = s.workers[w]!;
  job.worker = w;
  job.startedAt = ctx.now;
  worker.busy++;
  worker.jobs.set(job.id, job);
  s.probe.busy.add(ctx.now, 1);
  s.wait.record(ctx.now - job.arrivedAt);
  if (ctx.now > job.arrivedAt)
    addPhase(job.msg.req, 'queue', s.componentId, job.arrivedAt, ctx.now);
  if (s.config.concurrency.model !== 'event-loop') {
    job.timeout = ctx.timeout(s.config.workerTimeout, timeoutTimer(job.id));
  }
  runJob(s, job, ctx);
}

/** Starts backlog requests while workers are free. */
export function drainBacklog(s: AppState, ctx: Context): void {
  while (s.backlog.length > 0 && !s.down) {
    const w = freeWorker(s);
    if (w < 0) return;
    const job = s.backlog.shift()!;
    s.probe.queue.add(ctx.now, -1);
    start(s, job, w, ctx);
  }
}

/**
 * Records a finished store call on the request: 'database' when the store is a database
 * (whatever the op, `set` included), 'cache' otherwise; without component types, queries only.
 */
export function recordCall(
  s: AppState,
  job: Job,
  op: { readonly op: string; readonly store: string },
  sentAt: SimTime,
  now: SimTime,
): void {
  if (job.done) return;
  job.callTime += now - sentAt;
  const type = s.env.typeOf?.(op.store);
  const db = type === undefined ? op.op === 'query' : type === 'database';
  addPhase(job.msg.req, db ? 'database' : 'cache', s.componentId, sentAt, now);
}

/** Ends a job exactly once: frees its worker and waits, answers the caller, records it. */
export function finishJob(
  s: AppState,
  job: Job,
  status: number,
  reason: string,
  ctx: Context,
): void {
  if (job.done) return;
  job.done = true;
  s.jobs.delete(job.id);
  if (job.gates !== undefined) {
    for (const gate of job.gates)
      gate.complete?.(job.msg.req, ctx.now, status, ctx.now - job.arrivedAt);
  }
  if (job.worker >= 0) {
    const worker = s.workers[job.worker]!;
    worker.busy--;
    worker.jobs.delete(job.id);
    s.probe.busy.add(ctx.now, -1);
    if (job.timeout >= 0) ctx.cancel(job.timeout);
    if (job.inCpu > 0) s.cpu.cancel(ctx, (f) => f.job === job);
    // Store waits were recorded as 'database'/'cache'; the rest of the worker's time is service.
    // With parallel fan-out, overlapping calls can exceed the wall time: service is then 0.
    const service = Math.max(0, ctx.now - job.startedAt - job.callTime);
    addPhase(job.msg.req, 'service', s.componentId, ctx.now - service, ctx.now);
  }
  for (const tag of job.tags) {
    const p = s.pending.get(tag);
    if (p === undefined || p.kind === 'call') continue;
    ctx.cancel(p.timer);
    if (p.kind === 'pool') s.pools.get(p.op.store)?.abandon(tag);
    s.pending.delete(tag);
  }
  job.tags.length = 0;
  completeClaim(s, job, status, reason, ctx);
  const { req, replyTo, tag } = job.msg;
  const body = bodySize(job, status);
  const res = response(status, s.componentId, reason, body, job.headers);
  s.env.network.send(
    ctx,
    replyTo,
    reply(req, tag, job.page === undefined ? res : { ...res, page: job.page }),
    body,
  );
  s.probe.complete(ctx.now, status, ctx.now - job.arrivedAt);
  if (reason !== 'ok') s.probe.count(reason, ctx.now);
  drainBacklog(s, ctx);
}

/** Kills worker `w` (gunicorn timeout): its requests end with 502; it respawns later. */
export function killWorker(s: AppState, w: number, culprit: Job, ctx: Context): void {
  const worker = s.workers[w]!;
  worker.down = true;
  s.probe.count('workerKills', ctx.now);
  for (const job of worker.jobs.values()) {
    finishJob(
      s,
      job,
      502,
      job === culprit ? CONNECTION_FAILURES.workerTimeout : CONNECTION_FAILURES.workerKilled,
      ctx,
    );
  }
  ctx.after(s.config.respawnDelay, respawnTimer(w));
}

/** Crashes the server: every request inside ends with a reset (502); new ones are refused. */
export function crash(s: AppState, ctx: Context): void {
  if (s.down) return;
  s.down = true;
  const queued = s.backlog.drain();
  if (queued.length > 0) s.probe.queue.add(ctx.now, -queued.length);
  for (const job of s.jobs.values()) finishJob(s, job, 502, CONNECTION_FAILURES.reset, ctx);
  for (const p of s.pending.values()) if (p.timer >= 0) ctx.cancel(p.timer);
  s.pending.clear();
  s.cpu.cancel(ctx, () => true);
}

/** Brings a crashed server back with fresh workers and pools. */
export function restart(s: AppState, ctx: Context, freshPools: AppState['pools']): void {
  s.down = false;
  s.pools = freshPools;
  for (const w of s.workers) w.down = false;
  drainBacklog(s, ctx);
}
