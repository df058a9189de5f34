// Test-only component kinds: a Poisson source and a multi-worker FIFO server. They let the
// loader and the CLI be tested before the real models land; they are not product models.
import { z } from 'zod';
import type { ActorRef, Context } from '../../engine/index.ts';
import { defineComponent } from '../../models/core/component.ts';
import { buildDurationDist, durationDist } from '../../models/core/dist-spec.ts';
import type { Probe } from '../../models/core/probe.ts';
import { duration, percent, positiveInt, rate } from '../../models/core/units.ts';

interface Job {
  readonly type: 'test.job';
  readonly replyTo: ActorRef;
  readonly tag: number;
}
interface Done {
  readonly type: 'test.done';
  readonly tag: number;
  readonly status: number;
}
const ignore = () => {};
const faults = {
  'fault.crash': ignore,
  'fault.restart': ignore,
  'fault.slow': ignore,
  'load.factor': ignore,
};

/** An open-loop Poisson source sending jobs to a target (group or replica). */
export const testSource = defineComponent({
  type: 'test-source',
  description: 'Test-only Poisson source: sends jobs at a rate to a target and records latency.',
  schema: z.strictObject({
    rate: rate().describe('mean arrival rate'),
    target: z.string().describe('component (or group) that receives the jobs'),
  }),
  replicable: true,
  references: (c) => [
    { path: ['target'], id: c.target, acceptsGroup: true, carriesRequests: true },
  ],
  build(instance, env) {
    const probe = env.probe(instance.componentId, instance.actorId);
    const members = env.members(instance.config.target);
    const meanGap = 1e6 / instance.config.rate;
    const state = { refs: [] as ActorRef[], sent: new Map<number, number>(), next: 0, probe };
    const arrival = (ctx: Context) =>
      ctx.after(-Math.log(1 - ctx.rng('arrivals').next()) * meanGap, { type: 'test.tick' });
    env.sim.spawn(
      instance.actorId,
      {
        on: {
          'sim.start': (s: typeof state, _m, ctx) => {
            s.refs = members.map((id) => ctx.lookup(id));
            arrival(ctx);
          },
          'test.tick': (s: typeof state, _m, ctx) => {
            const tag = s.next++;
            s.sent.set(tag, ctx.now);
            s.probe.arrive(ctx.now);
            const to = s.refs[Math.floor(ctx.rng('pick').next() * s.refs.length)]!;
            ctx.send(to, { type: 'test.job', replyTo: ctx.self, tag } as Job);
            arrival(ctx);
          },
          'test.done': (s: typeof state, m: Done, ctx) => {
            const at = s.sent.get(m.tag)!;
            s.sent.delete(m.tag);
            s.probe.complete(ctx.now, m.status, ctx.now - at);
          },
          ...faults,
        },
      },
      state,
    );
  },
});

interface ServerState {
  readonly probe: Probe;
  readonly waiting: { job: Job; at: number }[];
  busy: number;
  upstream: ActorRef;
  readonly forwarded: Map<number, { job: Job; at: number }>;
  next: number;
}

/** A FIFO server with `workers` parallel workers; optionally forwards every job upstream. */
export const testServer = defineComponent({
  type: 'test-server',
  description:
    'Test-only FIFO server with workers; can forward upstream, fail on purpose or count hits.',
  schema: z.strictObject({
    workers: positiveInt(10_000).default(1).describe('parallel workers'),
    service: durationDist().describe('service time per job'),
    upstream: z.string().optional().describe('forward each job to this single actor'),
    hitPercent: percent().optional().describe('count this share of jobs as cache hits'),
    failAt: duration().optional().describe('throw (a model bug) at this simulated time'),
  }),
  replicable: true,
  references: (c) =>
    c.upstream === undefined
      ? []
      : [{ path: ['upstream'], id: c.upstream, acceptsGroup: false, carriesRequests: true }],
  build(instance, env) {
    const cfg = instance.config;
    const probe = env.probe(instance.componentId, instance.actorId);
    probe.capacity = cfg.workers;
    const service = buildDurationDist(cfg.service);
    const state: ServerState = {
      probe,
      waiting: [],
      busy: 0,
      upstream: -1,
      forwarded: new Map(),
      next: 0,
    };
    const startJob = (s: ServerState, job: Job, at: number, ctx: Context) => {
      s.busy++;
      s.probe.busy.set(ctx.now, s.busy);
      ctx.after(service.sample(ctx.rng('service')), { type: 'test.finish', job, at } as {
        type: string;
      });
    };
    env.sim.spawn(
      instance.actorId,
      {
        on: {
          'sim.start': (s: ServerState, _m, ctx) => {
            if (cfg.upstream !== undefined) s.upstream = ctx.lookup(cfg.upstream);
            if (cfg.failAt !== undefined) ctx.after(cfg.failAt, { type: 'test.fail' });
          },
          'test.fail': () => {
            throw new Error('deliberate failure for tests');
          },
          'test.job': (s: ServerState, job: Job, ctx) => {
            s.probe.arrive(ctx.now);
            if (cfg.hitPercent !== undefined) {
              s.probe.count(ctx.rng('hit').next() < cfg.hitPercent ? 'hits' : 'misses', ctx.now);
            }
            if (s.upstream >= 0) {
              const tag = s.next++;
              s.forwarded.set(tag, { job, at: ctx.now });
              ctx.send(s.upstream, { type: 'test.job', replyTo: ctx.self, tag } as Job);
            } else if (s.busy < cfg.workers) startJob(s, job, ctx.now, ctx);
            else {
              s.waiting.push({ job, at: ctx.now });
              s.probe.queue.set(ctx.now, s.waiting.length);
            }
          },
          'test.done': (s: ServerState, m: Done, ctx) => {
            const f = s.forwarded.get(m.tag)!;
            s.forwarded.delete(m.tag);
            s.probe.complete(ctx.now, m.status, ctx.now - f.at);
            ctx.send(f.job.replyTo, {
              type: 'test.done',
              tag: f.job.tag,
              status: m.status,
            } as Done);
          },
          'test.finish': (s: ServerState, m: { job: Job; at: number }, ctx) => {
            s.busy--;
            s.probe.busy.set(ctx.now, s.busy);
            s.probe.complete(ctx.now, 200, ctx.now - m.at);
            ctx.send(m.job.replyTo, { type: 'test.done', tag: m.job.tag, status: 200 } as Done);
            const next = s.waiting.shift();
            if (next !== undefined) {
              s.probe.queue.set(ctx.now, s.waiting.length);
              startJob(s, next.job, next.at, ctx);
            }
          },
          ...faults,
        },
      },
      state,
    );
  },
});

/** The test-only kinds, for scenarioSchema(kinds) and the test build of the CLI. */
export const TEST_KINDS = [testSource, testServer] as const;
