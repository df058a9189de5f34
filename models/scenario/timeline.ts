import { z } from 'zod';
import type { Behavior, Context, SimTime } from '../../engine/index.ts';
import type { BuildEnv } from '../core/component.ts';
import { duration, durationOrZero, probability } from '../core/units.ts';

/** Fault and load events on the timeline, each at a time and optionally for a window. */
export const timelineEventSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('crash'),
    at: durationOrZero(),
    target: z.string().describe('component (or replica, like app[1]) that crashes'),
    for: duration().optional().describe('restart after this long; omitted: stays down'),
  }),
  z.strictObject({
    action: z.literal('slow'),
    at: durationOrZero(),
    target: z.string().describe('component (or replica) that slows down'),
    factor: z.number().positive().max(1000).describe('service times are multiplied by this'),
    for: duration().optional(),
  }),
  z.strictObject({
    action: z.literal('partition'),
    at: durationOrZero(),
    between: z
      .tuple([z.string(), z.string()])
      .describe('the two components that cannot reach each other'),
    for: duration().optional(),
  }),
  z.strictObject({
    action: z.literal('degrade-link'),
    at: durationOrZero(),
    between: z.tuple([z.string(), z.string()]).describe('the two ends of the link'),
    latencyFactor: z
      .number()
      .positive()
      .max(1000)
      .default(1)
      .describe('the link latency is multiplied by this'),
    loss: probability().optional().describe('message loss while degraded; omitted: unchanged'),
    for: duration().optional(),
  }),
  z.strictObject({
    action: z.literal('load'),
    at: durationOrZero(),
    target: z.string().describe('a client component'),
    factor: z
      .number()
      .positive()
      .max(1000)
      .describe('the client’s request rate is multiplied by this'),
    for: duration().optional(),
  }),
]);
/** A parsed timeline event. */
export type TimelineEvent = z.output<typeof timelineEventSchema>;

/**
 * The component types that handle each targeted action (the others have no handler for its
 * message, so the run would stop): cross-check rejects any other target.
 */
export const ACTION_TARGET_TYPES: Readonly<Record<'crash' | 'slow' | 'load', readonly string[]>> = {
  crash: [
    'dns-resolver',
    'dns-authoritative',
    'proxy',
    'http-cache',
    'load-balancer',
    'rate-limiter',
    'app-server',
    'kv-store',
    'database',
    'job-queue',
    'resource-store',
    'idempotency-store',
    'service',
  ],
  slow: ['proxy', 'app-server', 'kv-store', 'database', 'job-queue', 'service'],
  load: ['client.open', 'client.closed'],
};

/** Messages a component receives from the timeline (handle those you support). */
export type FaultMessage =
  | { readonly type: 'fault.crash' }
  | { readonly type: 'fault.restart' }
  | { readonly type: 'fault.slow'; readonly factor: number }
  | { readonly type: 'load.factor'; readonly factor: number };

interface TimelineState {
  readonly events: readonly TimelineEvent[];
  readonly env: BuildEnv;
  readonly offset: SimTime;
}

interface Fire {
  readonly type: 'timeline.fire';
  readonly index: number;
  readonly end: boolean;
}

function apply(state: TimelineState, event: TimelineEvent, end: boolean, ctx: Context): void {
  const { env } = state;
  const targets = 'target' in event ? env.members(event.target) : [];
  const tell = (msg: FaultMessage) => {
    for (const id of targets) ctx.send(ctx.lookup(id), msg);
  };
  switch (event.action) {
    case 'crash':
      tell(end ? { type: 'fault.restart' } : { type: 'fault.crash' });
      return;
    case 'slow':
      tell({ type: 'fault.slow', factor: end ? 1 : event.factor });
      return;
    case 'load':
      tell({ type: 'load.factor', factor: end ? 1 : event.factor });
      return;
    case 'partition':
      env.network.setFault(event.between[0], event.between[1], { partitioned: !end });
      return;
    case 'degrade-link': {
      const change = end
        ? { latencyFactor: 1, loss: undefined }
        : {
            latencyFactor: event.latencyFactor,
            ...(event.loss !== undefined ? { loss: event.loss } : {}),
          };
      env.network.setFault(event.between[0], event.between[1], change);
      return;
    }
  }
}

/** The timeline actor: fires each event at its time (after warm-up offset) and ends windows. */
export const timelineBehavior: Behavior<TimelineState> = {
  on: {
    'sim.start': (state, _msg, ctx) => {
      state.events.forEach((event, index) => {
        const start: Fire = { type: 'timeline.fire', index, end: false };
        ctx.after(state.offset + event.at, start);
        if (event.for !== undefined) {
          const stop: Fire = { type: 'timeline.fire', index, end: true };
          ctx.after(state.offset + event.at + event.for, stop);
        }
      });
    },
    'timeline.fire': (state, msg: Fire, ctx) => {
      apply(state, state.events[msg.index]!, msg.end, ctx);
    },
  },
};

/** Initial state of the timeline actor. */
export function timelineState(
  events: readonly TimelineEvent[],
  env: BuildEnv,
  offset: SimTime,
): TimelineState {
  return { events, env, offset };
}
