import { z } from 'zod';
import type { ActorRef, Behavior, Context } from '../../engine/index.ts';
import { exponential } from '../../engine/index.ts';
import { defineComponent } from '../../models/core/component.ts';
import type { Probe } from '../../models/core/probe.ts';
import { rate } from '../../models/core/units.ts';

// Test-only component kinds for the experiment tests: a Poisson source and an M/M/1 server.
// Messages are minimal ({type:'job.request'|'job.response'}), not the full HTTP contract.

interface Job {
  readonly type: 'job.request';
  readonly replyTo: ActorRef;
  readonly sentAt: number;
}

interface SourceState {
  readonly target: string;
  readonly meanGap: number;
  readonly probe: Probe;
  readonly initial: number;
  to: ActorRef;
}

const sourceBehavior: Behavior<SourceState> = {
  on: {
    'sim.start': (s, _m, ctx) => {
      s.to = ctx.lookup(s.target);
      for (let i = 0; i < s.initial; i++) {
        s.probe.arrive(ctx.now);
        const job: Job = { type: 'job.request', replyTo: ctx.self, sentAt: ctx.now };
        ctx.send(s.to, job);
      }
      ctx.after(exponential(s.meanGap).sample(ctx.rng('arrivals')), { type: 'src.tick' });
    },
    'src.tick': (s, _m, ctx: Context) => {
      s.probe.arrive(ctx.now);
      const job: Job = { type: 'job.request', replyTo: ctx.self, sentAt: ctx.now };
      ctx.send(s.to, job);
      ctx.after(exponential(s.meanGap).sample(ctx.rng('arrivals')), { type: 'src.tick' });
    },
    'job.response': (s, m: { status: number; sentAt: number }, ctx) => {
      s.probe.complete(ctx.now, m.status, ctx.now - m.sentAt);
    },
  },
};

/** A Poisson source sending jobs to `target` at `rate`, measuring end-to-end latency. */
export const sourceKind = defineComponent({
  type: 'exp.source',
  description: 'Poisson job source (tests only).',
  schema: z.strictObject({
    target: z.string(),
    rate: rate(),
    initial: z.number().int().min(0).default(0).describe('jobs sent at time 0 (a transient)'),
  }),
  replicable: false,
  references: (c) => [
    { path: ['target'], id: c.target, acceptsGroup: false, carriesRequests: true },
  ],
  build(instance, env) {
    const probe = env.probe(instance.componentId, instance.actorId);
    const state: SourceState = {
      target: instance.config.target,
      meanGap: 1e6 / instance.config.rate,
      initial: instance.config.initial,
      probe,
      to: -1,
    };
    env.sim.spawn(instance.actorId, sourceBehavior, state);
  },
});

interface ServerState {
  readonly meanService: number;
  readonly probe: Probe;
  readonly queue: { job: Job; at: number }[];
  current: { job: Job; at: number } | undefined;
}

function startNext(s: ServerState, ctx: Context): void {
  const next = s.queue.shift();
  s.current = next;
  if (next === undefined) {
    s.probe.busy.set(ctx.now, 0);
    return;
  }
  s.probe.queue.add(ctx.now, -1);
  s.probe.busy.set(ctx.now, 1);
  ctx.after(exponential(s.meanService).sample(ctx.rng('service')), { type: 'mm1.done' });
}

const serverBehavior: Behavior<ServerState> = {
  on: {
    'job.request': (s, job: Job, ctx) => {
      s.probe.arrive(ctx.now);
      s.queue.push({ job, at: ctx.now });
      s.probe.queue.add(ctx.now, 1);
      if (s.current === undefined) startNext(s, ctx);
    },
    'mm1.done': (s, _m, ctx) => {
      const done = s.current!;
      s.probe.complete(ctx.now, 200, ctx.now - done.at);
      const reply = { type: 'job.response', status: 200, sentAt: done.job.sentAt };
      ctx.send(done.job.replyTo, reply);
      startNext(s, ctx);
    },
  },
};

/** A single FIFO server with exponential service at `serviceRate`. */
export const mm1Kind = defineComponent({
  type: 'exp.mm1',
  description: 'M/M/1 server (tests only).',
  schema: z.strictObject({ serviceRate: rate() }),
  replicable: true,
  references: () => [],
  build(instance, env) {
    const probe = env.probe(instance.componentId, instance.actorId);
    const state: ServerState = {
      meanService: 1e6 / instance.config.serviceRate,
      probe,
      queue: [],
      current: undefined,
    };
    env.sim.spawn(instance.actorId, serverBehavior, state);
  },
});

/** The test kind set. */
export const kinds = [sourceKind, mm1Kind];

/** An M/M/1 scenario (raw JSON in file units) with arrival rate λ and service rate μ per second. */
export function mm1Scenario(
  lambda: number,
  mu: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: 1,
    name: 'mm1',
    seed: 1,
    run: { duration: '20s', warmup: '1s', replications: 5, window: '100ms' },
    components: {
      server: { type: 'exp.mm1', serviceRate: `${mu}/s` },
      users: { type: 'exp.source', target: 'server', rate: `${lambda}/s` },
    },
    ...extra,
  };
}
