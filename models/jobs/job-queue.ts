// The job queue (Celery, Sidekiq, BullMQ): a broker that keeps enqueued jobs and a pool of
// workers that runs them with retries and a dead-letter queue. An app route's `enqueue` step
// hands it a job and answers 202 at once; the job's own latency, retries and losses show here.
import { z } from 'zod';
import type { Behavior, Context, Distribution, SimTime } from '../../engine/index.ts';
import type { StoreCall, StoreOutcome, StoreReply } from '../core/call.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist, durationDist } from '../core/dist-spec.ts';
import { Fifo } from '../core/fifo.ts';
import type { Probe } from '../core/probe.ts';
import { duration, positiveInt, probability } from '../core/units.ts';
import type { Network } from '../net/network.ts';

/** Config of a job queue: the broker's bound and the worker pool's behaviour. */
export const jobQueueSchema = z.strictObject({
  concurrency: positiveInt(100_000)
    .default(4)
    .describe('jobs run at once (Celery --concurrency, Sidekiq -c, BullMQ concurrency)'),
  service: durationDist().default(100_000).describe('time a worker spends on one job'),
  failureProbability: probability()
    .default(0)
    .describe('chance that one execution of a job fails (an exception in the task)'),
  maxAttempts: positiveInt(100)
    .default(3)
    .describe('executions before a job is dead-lettered (BullMQ attempts; Celery max_retries + 1)'),
  backoff: duration()
    .default(1_000_000)
    .describe('wait before the first retry, doubling after each (BullMQ backoff exponential)'),
  maxLength: positiveInt()
    .default(100_000)
    .describe('jobs the broker holds (waiting + delayed); a full queue refuses new ones'),
});
/** A parsed job-queue config. */
export type JobQueueConfig = z.output<typeof jobQueueSchema>;

interface Job {
  readonly enqueuedAt: SimTime;
  attempts: number;
}

/** Plain state of one job-queue actor. */
export interface JobQueueState {
  readonly config: JobQueueConfig;
  readonly service: Distribution;
  readonly probe: Probe;
  readonly network: Network;
  /** Jobs waiting for a worker. */
  readonly waiting: Fifo<Job>;
  /** Jobs sleeping before a retry. */
  delayed: number;
  /** Jobs being run, by run id. */
  readonly running: Map<number, Job>;
  nextRun: number;
  /** The workers are down (a crash); the broker still takes jobs. */
  down: boolean;
  /** Service-time factor set by a `slow` fault (1: normal). */
  slow: number;
}

interface RunDone {
  readonly type: 'jobs.done';
  readonly run: number;
}
interface RetryDue {
  readonly type: 'jobs.retry';
  readonly job: Job;
}

function reply(s: JobQueueState, ctx: Context, call: StoreCall, outcome: StoreOutcome): void {
  const msg: StoreReply = { type: 'store.reply', tag: call.tag, outcome, value: 0 };
  s.network.send(ctx, call.replyTo, msg, 64);
}

function gauges(s: JobQueueState, now: SimTime): void {
  s.probe.queue.set(now, s.waiting.length);
  s.probe.busy.set(now, s.running.size);
}

function startNext(s: JobQueueState, ctx: Context): void {
  while (!s.down && s.running.size < s.config.concurrency && s.waiting.length > 0) {
    const job = s.waiting.shift()!;
    const run = s.nextRun++;
    s.running.set(run, job);
    job.attempts++;
    const done: RunDone = { type: 'jobs.done', run };
    ctx.after(s.service.sample(ctx.rng('service')) * s.slow, done);
  }
  gauges(s, ctx.now);
}

/** A job's last word: done (200) or dead-lettered (500), timed from its enqueueing. */
function end(s: JobQueueState, ctx: Context, job: Job, status: number): void {
  s.probe.complete(ctx.now, status, ctx.now - job.enqueuedAt);
  s.probe.count(status === 200 ? 'done' : 'deadLettered', ctx.now);
}

/** The job-queue actor: a durable FIFO broker in front of `concurrency` workers. */
export const jobQueueBehavior: Behavior<JobQueueState> = {
  on: {
    'store.call': (s, call: StoreCall, ctx) => {
      if (s.waiting.length + s.delayed >= s.config.maxLength) {
        s.probe.count('rejected', ctx.now);
        reply(s, ctx, call, 'refused');
        return;
      }
      s.probe.arrive(ctx.now);
      s.probe.count('enqueued', ctx.now);
      s.waiting.push({ enqueuedAt: ctx.now, attempts: 0 });
      reply(s, ctx, call, 'ok');
      startNext(s, ctx);
    },
    'jobs.done': (s, msg: RunDone, ctx) => {
      const job = s.running.get(msg.run);
      if (job === undefined) return; // the run was lost in a crash and redelivered
      s.running.delete(msg.run);
      const failed =
        s.config.failureProbability > 0 && ctx.rng('failure').next() < s.config.failureProbability;
      if (!failed) end(s, ctx, job, 200);
      else if (job.attempts >= s.config.maxAttempts) end(s, ctx, job, 500);
      else {
        s.probe.count('retried', ctx.now);
        s.delayed++;
        const due: RetryDue = { type: 'jobs.retry', job };
        ctx.after(s.config.backoff * 2 ** (job.attempts - 1), due);
      }
      startNext(s, ctx);
    },
    'jobs.retry': (s, msg: RetryDue, ctx) => {
      s.delayed--;
      s.waiting.push(msg.job);
      startNext(s, ctx);
    },
    'fault.crash': (s, _m, ctx) => {
      // The workers crash; the broker (Redis, RabbitMQ) keeps accepting jobs. Workers
      // acknowledge late (Celery acks_late, Sidekiq's super_fetch, BullMQ's stalled-job
      // check), so a job running at the crash is run again after the restart, behind the
      // jobs already waiting.
      s.down = true;
      for (const job of s.running.values()) {
        job.attempts--;
        s.waiting.push(job);
        s.probe.count('redelivered', ctx.now);
      }
      s.running.clear();
      gauges(s, ctx.now);
    },
    'fault.restart': (s, _m, ctx) => {
      s.down = false;
      startNext(s, ctx);
    },
    'fault.slow': (s, m: { factor: number }) => {
      s.slow = m.factor;
    },
  },
};

/** The job-queue component kind. */
export const jobQueueKind = defineComponent({
  type: 'job-queue',
  description:
    'Background job queue (Celery, Sidekiq, BullMQ): a durable broker and a worker pool with retries, exponential backoff and a dead-letter queue; fed by app-server enqueue steps (202).',
  schema: jobQueueSchema,
  replicable: false,
  references: () => [],
  build(instance, env) {
    const probe = env.probe(instance.componentId, instance.actorId);
    probe.capacity = instance.config.concurrency;
    const state: JobQueueState = {
      config: instance.config,
      service: buildDurationDist(instance.config.service),
      probe,
      network: env.network,
      waiting: new Fifo(),
      delayed: 0,
      running: new Map(),
      nextRun: 0,
      down: false,
      slow: 1,
    };
    env.sim.spawn(instance.actorId, jobQueueBehavior, state);
  },
});
