import type { Behavior, Context, Distribution, SimTime } from '../../engine/index.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist } from '../core/dist-spec.ts';
import { startJob } from './attempt.ts';
import { clientReferences, closedClientSchema } from './config.ts';
import type { ClientState, Job } from './job.ts';
import { MixPicker } from './mix.ts';
import { clientHandlers, createClientState, initClient } from './state.ts';

/** A closed-loop client's state: N users, each thinking or waiting for one request. */
export interface ClosedClientState extends ClientState {
  readonly users: number;
  readonly picker: MixPicker;
  readonly think: Distribution;
  readonly between: Distribution;
  readonly sessionLength: number | undefined;
  /** Requests done in the current session, per user slot. */
  readonly done: number[];
  start: SimTime;
}

interface ThinkTimer {
  readonly type: 'client.think';
  readonly slot: number;
}

function pause(state: ClosedClientState, ctx: Context, slot: number, dist: Distribution): void {
  const delay = dist.sample(ctx.rng('think')) / state.factor;
  const timer: ThinkTimer = { type: 'client.think', slot };
  ctx.after(delay, timer);
}

function onFinish(s: ClientState, job: Job, ctx: Context): void {
  const state = s as ClosedClientState;
  const slot = job.slot;
  state.done[slot]! += 1;
  if (state.sessionLength !== undefined && state.done[slot]! >= state.sessionLength) {
    state.done[slot] = 0;
    pause(state, ctx, slot, state.between);
  } else {
    pause(state, ctx, slot, state.think);
  }
}

/** The closed-loop behaviour: request → response (or give-up) → think → next request. */
export const closedClientBehavior: Behavior<ClosedClientState> = {
  on: {
    ...clientHandlers,
    'sim.start': (state, _msg, ctx) => {
      initClient(state, ctx);
      state.picker.startWondersAt(2 ** 30 + ctx.self * 2 ** 32);
      state.start = ctx.now;
      // Users start staggered by one think time so they do not all fire at t = 0.
      for (let slot = 0; slot < state.users; slot++) pause(state, ctx, slot, state.think);
    },
    'client.think': (state, msg: ThinkTimer, ctx) => {
      const stop = state.config.stopAfter;
      if (stop !== undefined && ctx.now - state.start >= stop) return;
      const spec = state.picker.next(ctx.rng('mix'), msg.slot + 1, ctx.now);
      startJob(state, ctx, spec, ctx.now, msg.slot);
    },
    'load.factor': (state, msg: { factor: number }) => {
      state.factor = msg.factor;
    },
  },
};

/** `client.closed`: a closed-loop load generator with N users, think time and sessions. */
export const closedClientKind = defineComponent({
  type: 'client.closed',
  description:
    'Closed-loop client: N users each send a request, wait for its end, think, and repeat (sessions optional).',
  schema: closedClientSchema,
  replicable: true,
  references: clientReferences,
  build(instance, env) {
    const c = instance.config;
    const state: ClosedClientState = {
      ...createClientState(instance, env),
      users: c.users,
      picker: new MixPicker(c.mix),
      think: buildDurationDist(c.thinkTime),
      between: buildDurationDist(c.betweenSessions),
      sessionLength: c.sessionLength,
      done: new Array<number>(c.users).fill(0),
      start: 0,
    };
    state.onFinish = onFinish;
    env.sim.spawn(instance.actorId, closedClientBehavior, state);
  },
});
