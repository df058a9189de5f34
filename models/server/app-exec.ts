import type { Context } from '../../engine/index.ts';
import type { StoreReply } from '../core/call.ts';
import { NO_HEADERS } from '../http/messages.ts';
import { sendCall } from './app-calls.ts';
import { answerCors } from './app-cors.ts';
import { finishJob } from './app-lifecycle.ts';
import { localCacheOf, localKey } from './app-local.ts';
import { countWrite, isRestCall, restAfterCall, restPrecheck } from './app-rest.ts';
import { afterSessionCall, sessionCallKey, sessionIdOf } from './app-session.ts';
import type { AppState, Fiber, Job } from './app-state.ts';
import { cacheSetOp, type Op } from './ops.ts';
import { filterMatches, routeInfo } from './router.ts';

type CallOp = Op & { k: 'call' };

/** A timer that wakes a waiting fiber (io step, gate delay, call timeout, pool wait timeout). */
export interface WakeTimer {
  readonly type: 'app.wake';
  readonly tag: number;
}

const wake = (tag: number): WakeTimer => ({ type: 'app.wake', tag });

function chance(ctx: Context, p: number): boolean {
  return p > 0 && ctx.rng('errors').next() < p;
}

function newTag(s: AppState, job: Job): number {
  const tag = s.nextTag++;
  job.tags.push(tag);
  return tag;
}

/** Starts a job's root fiber on the middleware pipeline. */
export function runJob(s: AppState, job: Job, ctx: Context): void {
  const req = job.msg.req;
  if (s.config.cors !== undefined && answerCors(s, job, ctx)) return;
  job.route = routeInfo(s.routes, req, s.routeInfo);
  advance(s, { job, stack: [{ ops: s.pipeline, pc: 0 }], join: undefined }, ctx);
}

/**
 * Ops that only decide (no clock, no other actor, no shared state): CPU work before them is
 * not yet due when they run, so it is accumulated and spent as one burst at the next op that
 * does interact (or at the end). A decision that ends the job waits for that burst first.
 */
const DECIDES: { readonly [k in Op['k']]?: true } = {
  cpu: true,
  when: true,
  route: true,
  creds: true,
  'need-creds': true,
  'need-role': true,
  'session-cookie': true,
  'deny-tier': true,
  fail: true,
};

/** Spends `work` µs of CPU, then resumes the fiber where it stopped. */
function burst(s: AppState, fiber: Fiber, work: number, ctx: Context): void {
  fiber.job.inCpu++;
  s.cpu.submit(ctx, fiber.job.worker, work, fiber);
}

/** Ends the job with `status` now, or once the fiber's pending CPU burst is spent. */
function end(
  s: AppState,
  fiber: Fiber,
  work: number,
  status: number,
  reason: string,
  ctx: Context,
): void {
  if (work > 0) {
    fiber.stack.push({ ops: [{ k: 'respond', status, reason }], pc: 0 });
    burst(s, fiber, work, ctx);
    return;
  }
  finishJob(s, fiber.job, status, reason, ctx);
}

/**
 * Runs a fiber's ops until one waits or the job ends. Consecutive CPU steps, and the pure
 * decisions between them (middleware checks, routing), make one CPU burst: a request's
 * decisions do not depend on when they are taken, so its outcome and timing are those of
 * running the steps one by one, with one scheduler event instead of one per step.
 */
export function advance(s: AppState, fiber: Fiber, ctx: Context): void {
  const job = fiber.job;
  const req = job.msg.req;
  let work = 0;
  for (;;) {
    if (job.done) return;
    const frame = fiber.stack[fiber.stack.length - 1];
    if (frame === undefined) {
      if (work > 0) burst(s, fiber, work, ctx);
      else fiberDone(s, fiber, ctx);
      return;
    }
    if (frame.pc >= frame.ops.length) {
      fiber.stack.pop();
      continue;
    }
    const op = frame.ops[frame.pc]!;
    if (work > 0 && DECIDES[op.k] !== true) {
      burst(s, fiber, work, ctx);
      return;
    }
    frame.pc++;
    switch (op.k) {
      case 'cpu':
        work += op.dist.sample(ctx.rng('service'));
        continue;
      case 'io':
        waitFor(s, fiber, ctx, op.dist.sample(ctx.rng('io')));
        return;
      case 'call':
        call(s, fiber, op, ctx);
        return;
      case 'par': {
        const join = { fiber, remaining: op.branches.length };
        for (const ops of op.branches) {
          if (job.done) return;
          advance(s, { job, stack: [{ ops, pc: 0 }], join }, ctx);
        }
        return;
      }
      case 'local-get': {
        const hit = localCacheOf(s, ctx).get(localKey(req, op.by), ctx.now);
        s.probe.count(hit ? 'localHits' : 'localMisses', ctx.now);
        if (!hit) fiber.stack.push({ ops: op.onMiss, pc: 0 });
        continue;
      }
      case 'local-set':
        localCacheOf(s, ctx).set(localKey(req, op.by), req.size, ctx.now, op.ttl);
        continue;
      case 'respond':
        finishJob(s, job, op.status, op.reason, ctx);
        return;
      case 'enqueue':
        sendCall(s, ctx, op.store, 'set', req.key, 0, job);
        continue;
      case 'fail':
        if (chance(ctx, op.p)) {
          end(s, fiber, work, op.status, op.reason, ctx);
          return;
        }
        continue;
      case 'need-creds': {
        const carried = req.headers.authorization;
        if (carried !== op.scheme) {
          challenge(job, op.challenge);
          end(s, fiber, work, 401, op.reason, ctx);
          return;
        }
        continue;
      }
      case 'creds':
        if (req.headers.credentialsValid === false) {
          challenge(job, op.challenge);
          end(s, fiber, work, op.status, op.reason, ctx);
          return;
        }
        continue;
      case 'session-cookie': {
        const id = sessionIdOf(req, op.name);
        if (id === undefined) {
          end(s, fiber, work, 401, 'auth-session-missing', ctx);
          return;
        }
        job.session = id;
        continue;
      }
      case 'need-role': {
        const role = req.headers.role;
        if (role === undefined || !op.roles.has(role)) {
          end(s, fiber, work, 403, 'forbidden-role', ctx);
          return;
        }
        continue;
      }
      case 'deny-tier':
        if (op.tiers.has(req.tier)) {
          end(s, fiber, work, 403, 'forbidden-tier', ctx);
          return;
        }
        continue;
      case 'when':
        if (!filterMatches(job.route!, op.index, op.routes, req)) frame.pc += op.skip;
        continue;
      case 'gate': {
        const gate = s.gates.get(op)!;
        const verdict = gate.admit(req, ctx.now);
        if (gate.complete !== undefined) {
          if (job.gates === undefined) job.gates = [];
          job.gates.push(gate);
        }
        if (verdict.headers !== undefined) job.headers = { ...job.headers, ...verdict.headers };
        if (!verdict.allowed) {
          finishJob(s, job, verdict.status ?? 429, 'rate-limited', ctx);
          return;
        }
        if (verdict.delay !== undefined && verdict.delay > 0) {
          waitFor(s, fiber, ctx, verdict.delay);
          return;
        }
        continue;
      }
      case 'route': {
        const m = job.route!.match;
        if (m.kind === 'not-found') {
          end(s, fiber, work, 404, 'no-route', ctx);
          return;
        }
        if (m.kind === 'method-not-allowed') {
          end(s, fiber, work, 405, 'method-not-allowed', ctx);
          return;
        }
        const r = m.route;
        if (r.spec.gone) {
          end(s, fiber, work, 410, 'gone', ctx);
          return;
        }
        if (r.spec.redirect) {
          end(s, fiber, work, 301, 'redirect', ctx);
          return;
        }
        if (r.cacheHeaders !== undefined) {
          job.headers =
            job.headers === NO_HEADERS ? r.cacheHeaders : { ...job.headers, ...r.cacheHeaders };
        }
        if (r.spec.etag !== undefined && req.headers.ifNoneMatch === r.spec.etag) {
          end(s, fiber, work, 304, 'not-modified', ctx);
          return;
        }
        job.status = r.status;
        fiber.stack.push({ ops: r.ops, pc: 0 });
        continue;
      }
    }
  }
}

/** Puts a 401's WWW-Authenticate challenge on the job's response. */
function challenge(job: Job, value: string | undefined): void {
  if (value !== undefined) job.headers = { ...job.headers, wwwAuthenticate: value };
}

function fiberDone(s: AppState, fiber: Fiber, ctx: Context): void {
  const join = fiber.join;
  if (join === undefined) {
    finishJob(s, fiber.job, fiber.job.status, 'ok', ctx);
    return;
  }
  join.remaining--;
  if (join.remaining === 0) advance(s, join.fiber, ctx);
}

/** Parks a fiber for `delay` µs (an io step, a gate delay, an idempotency poll). */
export function waitFor(s: AppState, fiber: Fiber, ctx: Context, delay: number): void {
  const tag = newTag(s, fiber.job);
  const timer = ctx.after(delay, wake(tag));
  s.pending.set(tag, { kind: 'wait', fiber, timer });
}

function call(s: AppState, fiber: Fiber, op: CallOp, ctx: Context): void {
  const job = fiber.job;
  if (isRestCall(op)) {
    const verdict = restPrecheck(s, job, op, ctx);
    if (verdict === 'skip') advance(s, fiber, ctx);
    if (verdict !== 'send') return;
  }
  const tag = newTag(s, job);
  const pool = s.pools.get(op.store);
  if (pool !== undefined && !pool.acquire(tag)) {
    const cfg = s.config.pools[op.store]!;
    const timer = ctx.timeout(cfg.waitTimeout, wake(tag));
    s.pending.set(tag, { kind: 'pool', fiber, op, timer });
    s.probe.count('poolWaits', ctx.now);
    return;
  }
  issue(s, fiber, op, tag, pool !== undefined, ctx);
}

/** Sends a store call for `tag` (the pool connection, if any, is already held). */
export function issue(
  s: AppState,
  fiber: Fiber,
  op: CallOp,
  tag: number,
  pooled: boolean,
  ctx: Context,
): void {
  const job = fiber.job;
  const req = job.msg.req;
  if (
    op.purpose === 'session-get' ||
    op.purpose === 'session-new' ||
    op.purpose === 'session-end'
  ) {
    const { key, value } = sessionCallKey(s, job, op, ctx);
    sendCall(s, ctx, op.store, op.op, key, tag, job, undefined, op.ttl, value);
  } else {
    const key =
      op.purpose === 'session'
        ? (req.headers.session ?? req.user)
        : op.purpose === 'idempotency'
          ? (req.headers.idempotencyKey ?? 0)
          : req.key;
    sendCall(s, ctx, op.store, op.op, key, tag, job, op.queryClass, op.ttl);
  }
  const timer = op.timeout > 0 ? ctx.timeout(op.timeout, wake(tag)) : -1;
  s.pending.set(tag, { kind: 'call', fiber, op, timer, pooled, sentAt: ctx.now });
}

/** Continues a fiber after its store call ended with `outcome`. */
export function afterCall(
  s: AppState,
  fiber: Fiber,
  op: CallOp,
  outcome: StoreReply['outcome'],
  ctx: Context,
  reply?: StoreReply,
): void {
  const job = fiber.job;
  if (job.done) return;
  if (
    op.purpose === 'session-get' ||
    op.purpose === 'session-new' ||
    op.purpose === 'session-end'
  ) {
    const data = typeof reply?.data === 'number' ? reply.data : undefined;
    afterSessionCall(s, fiber, op, outcome, data, ctx);
    return;
  }
  if (isRestCall(op)) {
    restAfterCall(s, fiber, op, outcome, reply, ctx);
    return;
  }
  countWrite(s, job, reply, ctx.now);
  if (op.purpose === 'cache-get') {
    const hit = outcome === 'hit' || outcome === 'ok';
    s.probe.count(hit ? 'cacheHits' : 'cacheMisses', ctx.now);
    if (!hit) {
      const ops = op.set ? [...op.onMiss, cacheSetOp(op.store, op.ttl, op.timeout)] : op.onMiss;
      fiber.stack.push({ ops, pc: 0 });
    }
    advance(s, fiber, ctx);
    return;
  }
  if (op.purpose === 'cache-set') {
    advance(s, fiber, ctx);
    return;
  }
  if (endOnStoreFailure(s, job, outcome, ctx)) return;
  if (op.purpose === 'session' && outcome === 'miss') {
    finishJob(s, job, 401, 'session-missing', ctx);
    return;
  }
  if (chance(ctx, op.err)) {
    finishJob(s, job, 500, 'call-error', ctx);
    return;
  }
  advance(s, fiber, ctx);
}

/** Ends the job when its store call timed out, failed or was refused; true if it did. */
export function endOnStoreFailure(
  s: AppState,
  job: Job,
  outcome: StoreReply['outcome'],
  ctx: Context,
): boolean {
  if (outcome === 'timeout') {
    finishJob(s, job, s.config.callTimeoutStatus, 'store-timeout', ctx);
    return true;
  }
  if (outcome === 'error' || outcome === 'refused') {
    finishJob(s, job, s.config.callErrorStatus, `store-${outcome}`, ctx);
    return true;
  }
  return false;
}
