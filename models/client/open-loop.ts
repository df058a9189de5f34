import type { Behavior, Context, SimTime, TimerHandle } from '../../engine/index.ts';
import { type BuildEnv, defineComponent } from '../core/component.ts';
import { ReplayCursor, type ReplayRequest, replayRead } from '../trace/replay.ts';
import type { ArrivalConfig } from './arrival.ts';
import { nextArrival } from './arrival.ts';
import { startJob } from './attempt.ts';
import { clientReferences, openClientSchema } from './config.ts';
import type { ClientState } from './job.ts';
import { MixPicker } from './mix.ts';
import { clientHandlers, createClientState, initClient } from './state.ts';

/** An open-loop client's state: the shared client state plus its arrival process. */
export interface OpenClientState extends ClientState {
  readonly arrival: ArrivalConfig;
  readonly picker: MixPicker;
  start: SimTime;
  /** Client time (µs since start, unrounded) of the next arrival. */
  nextAt: number;
  timer: TimerHandle | undefined;
  row: number;
  /** Requests pulled lazily from a replayed trace file, if the arrival names one. */
  readonly cursor: ReplayCursor | undefined;
  /** The next trace request, pulled ahead of its arrival. */
  pending: ReplayRequest | undefined;
}

function schedule(state: OpenClientState, ctx: Context, from: number): void {
  state.timer = undefined;
  const a = state.arrival;
  let at: number;
  if (state.cursor !== undefined) {
    state.pending = state.cursor.next();
    if (state.pending === undefined) return;
    at = state.pending.time;
  } else if (a.process === 'replay') {
    const row = a.rows?.[state.row];
    if (row === undefined) return;
    at = row[0];
  } else {
    at = nextArrival(a, from, state.factor, ctx.rng('arrival'));
  }
  const stop = state.config.stopAfter;
  if (!Number.isFinite(at) || (stop !== undefined && at >= stop)) return;
  state.nextAt = at;
  const delay = Math.max(0, Math.round(state.start + at) - ctx.now);
  state.timer = ctx.after(delay, { type: 'client.arrival' });
}

/** The open-loop behaviour: arrivals independent of completions (no coordinated omission). */
export const openClientBehavior: Behavior<OpenClientState> = {
  on: {
    ...clientHandlers,
    'sim.start': (state, _msg, ctx) => {
      initClient(state, ctx);
      state.picker.startWondersAt(2 ** 30 + ctx.self * 2 ** 32);
      state.start = ctx.now;
      schedule(state, ctx, 0);
    },
    'client.arrival': (state, _msg, ctx) => {
      const a = state.arrival;
      const p = state.pending;
      if (p !== undefined) {
        state.row++;
        startJob(
          state,
          ctx,
          state.picker.fromRow(p.method, p.route, p.key, p.user, ctx.rng('mix')),
          ctx.now,
          -1,
        );
      } else if (a.process === 'replay') {
        const [, method, route, key, user] = a.rows![state.row++]!;
        startJob(
          state,
          ctx,
          state.picker.fromRow(method, route, key, user, ctx.rng('mix')),
          ctx.now,
          -1,
        );
      } else {
        startJob(state, ctx, state.picker.next(ctx.rng('mix'), 0, ctx.now), ctx.now, -1);
      }
      schedule(state, ctx, state.nextAt);
    },
    'load.factor': (state, msg: { factor: number }, ctx) => {
      state.factor = msg.factor;
      if (state.arrival.process === 'replay' || state.timer === undefined) return;
      // Poisson-type processes are memoryless: redraw the next arrival at the new rate from now.
      ctx.cancel(state.timer);
      schedule(state, ctx, ctx.now - state.start);
    },
  },
};

/** `client.open`: an open-loop load generator (Poisson, constant, on-off, schedule or replay). */
export const openClientKind = defineComponent({
  type: 'client.open',
  description:
    'Open-loop client: requests arrive by a process (poisson, constant, on-off, schedule, replay) regardless of responses.',
  schema: openClientSchema,
  replicable: true,
  references: clientReferences,
  build(instance, env) {
    const state: OpenClientState = {
      ...createClientState(instance, env),
      arrival: instance.config.arrival,
      picker: new MixPicker(instance.config.mix),
      start: 0,
      nextAt: 0,
      timer: undefined,
      row: 0,
      cursor: replayCursor(instance.config.arrival, env),
      pending: undefined,
    };
    env.sim.spawn(instance.actorId, openClientBehavior, state);
  },
});

/** The trace cursor of a replay arrival that names a file (opened through env.openTrace). */
function replayCursor(arrival: ArrivalConfig, env: BuildEnv): ReplayCursor | undefined {
  if (arrival.process !== 'replay' || arrival.file === undefined) return undefined;
  if (env.openTrace === undefined) {
    throw new RangeError(
      `replaying the trace file ${arrival.file} needs a trace opener (run it with the stacksim CLI, or pass openTrace when building from code)`,
    );
  }
  return new ReplayCursor(env.openTrace(arrival.file, replayRead(arrival)), arrival.route);
}
