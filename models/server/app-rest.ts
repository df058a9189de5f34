import type { Context } from '../../engine/index.ts';
import type { StoreCall, StoreOutcome, StoreReply } from '../core/call.ts';
import { isConnectionFailure } from '../http/messages.ts';
import { etagOf } from '../rest/collection.ts';
import { BEGIN } from '../rest/idempotency-store.ts';
import { storeRef } from './app-calls.ts';
import { advance, endOnStoreFailure, waitFor } from './app-exec.ts';
import { finishJob } from './app-lifecycle.ts';
import type { AppState, Fiber, Job } from './app-state.ts';
import type { Op } from './ops.ts';

type CallOp = Op & { k: 'call' };

const REASONS: Readonly<Record<number, string>> = {
  304: 'not-modified',
  404: 'not-found',
  412: 'precondition-failed',
  507: 'collection-full',
};

/** Whether a call is a REST call (resource step or idempotency claim) handled here. */
export function isRestCall(op: CallOp): boolean {
  return op.purpose === 'resource' || op.purpose === 'idempotency';
}

/**
 * Checks a REST call before it is sent: a request without an Idempotency-Key skips the claim
 * ('skip'); a page larger than the step's maxPageSize ends with 400 ('ended'); else 'send'.
 */
export function restPrecheck(
  s: AppState,
  job: Job,
  op: CallOp,
  ctx: Context,
): 'send' | 'skip' | 'ended' {
  const req = job.msg.req;
  if (op.purpose === 'idempotency')
    return req.headers.idempotencyKey === undefined ? 'skip' : 'send';
  const max = op.rest?.maxPageSize;
  if (max !== undefined && req.page !== undefined && req.page.size > max) {
    finishJob(s, job, 400, 'page-too-large', ctx);
    return 'ended';
  }
  return 'send';
}

/** The route template a job matched ('' before routing). */
function routeName(job: Job): string {
  const m = job.route?.match;
  return m?.kind === 'found' ? `${m.route.spec.method} ${m.route.spec.route}` : '';
}

/**
 * Counts a duplicate write (a store applied a write that another attempt of the same request
 * had applied): `duplicateWrites` and, per route, `duplicateWrites[POST /pay]`.
 */
export function countWrite(
  s: AppState,
  job: Job,
  reply: StoreReply | undefined,
  now: number,
): void {
  if (reply?.duplicate !== true) return;
  s.probe.count('duplicateWrites', now);
  s.probe.count(`duplicateWrites[${routeName(job)}]`, now);
}

function afterClaim(
  s: AppState,
  fiber: Fiber,
  op: CallOp,
  outcome: StoreOutcome,
  reply: StoreReply | undefined,
  ctx: Context,
): void {
  const job = fiber.job;
  const rest = op.rest ?? {};
  if (outcome !== 'ok') {
    s.probe.count('idempotencyStoreDown', ctx.now);
    if (rest.onStoreDown === 'proceed') {
      s.probe.count('idempotencyUnprotected', ctx.now);
      advance(s, fiber, ctx);
    } else finishJob(s, job, 503, 'idempotency-store-down', ctx);
    return;
  }
  const value = reply?.value ?? BEGIN.fresh;
  if (value === BEGIN.done) {
    s.probe.count('idempotentReplays', ctx.now);
    finishJob(s, job, reply?.status ?? 200, 'idempotent-replay', ctx);
    return;
  }
  if (value === BEGIN.running) {
    if (rest.concurrent === 'wait') {
      s.probe.count('idempotencyWaits', ctx.now);
      fiber.stack.push({ ops: [op], pc: 0 });
      waitFor(s, fiber, ctx, rest.poll ?? 100_000);
      return;
    }
    finishJob(s, job, 409, 'idempotency-conflict', ctx);
    return;
  }
  job.idem = { store: op.store, key: job.msg.req.headers.idempotencyKey ?? 0 };
  advance(s, fiber, ctx);
}

/** Continues a fiber after a REST call: ETag, 304/404/412, the page, or the claim's verdict. */
export function restAfterCall(
  s: AppState,
  fiber: Fiber,
  op: CallOp,
  outcome: StoreOutcome,
  reply: StoreReply | undefined,
  ctx: Context,
): void {
  if (op.purpose === 'idempotency') {
    afterClaim(s, fiber, op, outcome, reply, ctx);
    return;
  }
  const job = fiber.job;
  const req = job.msg.req;
  if (endOnStoreFailure(s, job, outcome, ctx)) return;
  countWrite(s, job, reply, ctx.now);
  const action = op.queryClass;
  if (reply?.status !== undefined) {
    if (reply.status === 304 && req.headers.ifNoneMatch !== undefined)
      job.headers = { ...job.headers, etag: req.headers.ifNoneMatch };
    finishJob(s, job, reply.status, REASONS[reply.status] ?? 'resource', ctx);
    return;
  }
  if (reply !== undefined && (action === 'read' || action === 'write')) {
    job.headers = { ...job.headers, etag: etagOf(req.key, reply.value) };
  }
  if (reply?.page !== undefined) job.page = reply.page;
  advance(s, fiber, ctx);
}

/**
 * Reports a finished job's outcome to its idempotency store (Stripe stores whatever the
 * handler answered, errors included). A job whose server failed under it (reset, killed
 * worker) reports nothing: its key stays locked until the store's lockTimeout.
 */
export function completeClaim(
  s: AppState,
  job: Job,
  status: number,
  reason: string,
  ctx: Context,
): void {
  const idem = job.idem;
  if (idem === undefined || isConnectionFailure(reason)) return;
  const msg: StoreCall = {
    type: 'store.call',
    op: 'set',
    key: idem.key,
    queryClass: 'complete',
    amount: status,
    req: job.msg.req,
    replyTo: ctx.self,
    tag: 0,
  };
  s.env.network.send(ctx, storeRef(s, ctx, idem.store), msg);
}
