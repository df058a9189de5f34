import type { Context } from '../../engine/index.ts';
import { PHASES } from '../http/messages.ts';
import { backoffSleep } from './backoff.ts';
import type { ClientState, Job } from './job.ts';
import { mayRetry } from './retry.ts';

/** Timer message: a backoff ended, start the next attempt of `job`. */
export interface RetryTimer {
  readonly type: 'client.retry';
  readonly job: number;
}

/**
 * Ends the current attempt of `job` with `status` (0 for client-side failures) and `reason`:
 * either schedules a retry after the backoff (policy, budget and Retry-After permitting) or
 * finishes the request.
 */
export function endAttempt(
  state: ClientState,
  ctx: Context,
  job: Job,
  status: number,
  reason: string,
  retryAfterSeconds?: number,
): void {
  if (job.timer !== undefined) {
    ctx.cancel(job.timer);
    job.timer = undefined;
  }
  job.tag = 0;
  job.req = undefined;
  const policy = state.config.retries;
  if (policy !== undefined && mayRetry(policy, status, reason, job.attempt, job.spec.idempotent)) {
    if (state.budget !== undefined && !state.budget.tryWithdraw(ctx.now)) {
      state.probe.count('retryBudgetExhausted', ctx.now);
    } else {
      let sleep = backoffSleep(
        policy.backoff,
        policy.jitter,
        job.attempt,
        job.prevSleep,
        ctx.rng('backoff'),
      );
      job.prevSleep = sleep;
      if (policy.honourRetryAfter && retryAfterSeconds !== undefined) {
        sleep = Math.max(sleep, Math.round(retryAfterSeconds * 1e6));
      }
      job.step = 'backoff';
      job.stepStart = ctx.now;
      const timer: RetryTimer = { type: 'client.retry', job: job.id };
      ctx.after(sleep, timer);
      return;
    }
  }
  finish(state, ctx, job, status, reason);
}

const FAILURE_COUNTERS: Readonly<Record<string, string>> = {
  timeout: 'timeouts',
  'cors-blocked': 'corsBlocked',
  'connect-error': 'connectErrors',
  'connection-reset': 'connectionResets',
};

/** Ends the request for good: records status, end-to-end latency and the phase breakdown. */
export function finish(
  state: ClientState,
  ctx: Context,
  job: Job,
  status: number,
  reason: string,
): void {
  const now = ctx.now;
  const probe = state.probe;
  state.jobs.delete(job.id);
  probe.complete(now, status, now - job.intendedAt);
  if (status === 0) {
    const counter = reason.startsWith('dns-') ? 'dnsFailures' : FAILURE_COUNTERS[reason];
    if (counter !== undefined) probe.count(counter, now);
  } else if (status < 400) {
    probe.count('goodput', now);
  }
  const hist = probe.phases;
  if (hist !== undefined) {
    for (let i = 0; i < PHASES.length; i++) hist[i]!.record(Math.max(0, job.phases[i]!));
  }
  if (job.spans !== undefined) {
    state.tracer?.offer({
      id: job.id,
      client: state.componentId,
      className: job.spec.className,
      method: job.spec.method,
      route: job.spec.route,
      status,
      reason,
      attempts: job.attempt + 1,
      start: job.intendedAt,
      end: now,
      spans: job.spans,
    });
  }
  state.onFinish?.(state, job, ctx);
}
