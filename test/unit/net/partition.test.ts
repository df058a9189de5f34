// Issue 15's partition bug: a timeline fault names components or replicas, and must reach every
// link between their actors, whichever way the scenario declared the link (component pair or
// replica pair). The rule (docs/scenario-format.md, "Links"): a component id matches itself and
// each of its replicas (`app` matches `app[0]`, `app[1]`, …); a replica id matches only itself.
import { describe, expect, it } from 'vitest';
import { type ActorRef, type Behavior, fromSeconds, Simulation } from '../../../engine/index.ts';
import type { BuildEnv } from '../../../models/core/component.ts';
import { linkSchema, Network } from '../../../models/net/network.ts';
import {
  type TimelineEvent,
  timelineBehavior,
  timelineEventSchema,
  timelineState,
} from '../../../models/scenario/timeline.ts';

interface Probe {
  readonly type: 'probe';
  readonly to: string;
}
interface Seen {
  readonly net: { current?: Network };
  readonly log: Map<string, number>;
}

/** Each actor, asked at time t, records the one-way delay (µs, -1 = cut) to `to`. */
const prober: Behavior<Seen> = {
  on: {
    probe: (state, msg: Probe, ctx) => {
      const key = `${ctx.now}:${ctx.self}>${msg.to}`;
      state.log.set(key, state.net.current!.delay(ctx, ctx.lookup(msg.to)));
    },
  },
};

const ACTORS = ['app[0]', 'app[1]', 'db', 'cache'];

/** Delays between every ordered pair of ACTORS at each of `times` (seconds), under `timeline`. */
function delaysAt(
  links: readonly unknown[],
  timeline: readonly unknown[],
  times: readonly number[],
): (t: number, from: string, to: string) => number {
  const sim = new Simulation({ seed: 1 });
  const holder: { current?: Network } = {};
  const log = new Map<string, number>();
  const refs = new Map<string, ActorRef>();
  for (const id of ACTORS) refs.set(id, sim.spawn(id, prober, { net: holder, log }));
  const network = new Network(
    sim,
    links.map((l) => linkSchema.parse(l)),
  );
  holder.current = network;
  const env = { sim, network, members: (id: string) => [id] } as unknown as BuildEnv;
  const events = timeline.map((e) => timelineEventSchema.parse(e) as TimelineEvent);
  sim.spawn('timeline', timelineBehavior, timelineState(events, env, 0));
  for (const t of times) {
    for (const from of ACTORS) {
      for (const to of ACTORS) {
        const probe: Probe = { type: 'probe', to };
        if (from !== to) sim.schedule(refs.get(from)!, probe, fromSeconds(t));
      }
    }
  }
  sim.run();
  return (t, from, to) => {
    const v = log.get(`${fromSeconds(t)}:${refs.get(from)}>${to}`);
    if (v === undefined) throw new Error(`no probe ${from} > ${to} at ${t}s`);
    return v;
  };
}

const LINKS = [
  { between: ['app[0]', 'db'], latency: '1ms' },
  { between: ['app', 'cache'], latency: '2ms' },
];

describe('a component-level fault reaches every replica pair, both directions', () => {
  it('partition [app, db] cuts app[0]–db although that link was declared per replica', () => {
    const d = delaysAt(
      LINKS,
      [{ action: 'partition', at: '1s', between: ['app', 'db'], for: '1s' }],
      [0.5, 1.5, 2.5],
    );
    expect(d(0.5, 'app[0]', 'db')).toBe(1000);
    for (const [a, b] of [
      ['app[0]', 'db'],
      ['db', 'app[0]'],
      ['app[1]', 'db'],
      ['db', 'app[1]'],
    ] as const) {
      expect(d(1.5, a, b), `${a} > ${b} while partitioned`).toBe(-1);
    }
    // pairs that do not match the fault are untouched
    expect(d(1.5, 'app[0]', 'cache')).toBe(2000);
    expect(d(1.5, 'db', 'cache')).toBe(0);
    // healed: the declared latency is back, undeclared pairs are co-located again
    expect(d(2.5, 'app[0]', 'db')).toBe(1000);
    expect(d(2.5, 'db', 'app[0]')).toBe(1000);
    expect(d(2.5, 'app[1]', 'db')).toBe(0);
  });

  it('degrade-link [app, db] multiplies the replica link declared for app[0]', () => {
    const d = delaysAt(
      LINKS,
      [{ action: 'degrade-link', at: '1s', between: ['db', 'app'], latencyFactor: 3, for: '1s' }],
      [1.5, 2.5],
    );
    expect(d(1.5, 'app[0]', 'db')).toBe(3000);
    expect(d(1.5, 'db', 'app[0]')).toBe(3000);
    expect(d(1.5, 'app[1]', 'db')).toBe(0);
    expect(d(2.5, 'db', 'app[0]')).toBe(1000);
  });

  it('a fault on one replica keeps the latency its group link declares, and only that replica', () => {
    const d = delaysAt(
      LINKS,
      [
        {
          action: 'degrade-link',
          at: '1s',
          between: ['app[1]', 'cache'],
          latencyFactor: 5,
          for: '1s',
        },
        { action: 'partition', at: '3s', between: ['cache', 'app[0]'], for: '1s' },
      ],
      [1.5, 2.5, 3.5, 4.5],
    );
    expect(d(1.5, 'app[1]', 'cache')).toBe(10_000);
    expect(d(1.5, 'cache', 'app[1]')).toBe(10_000);
    expect(d(1.5, 'app[0]', 'cache')).toBe(2000);
    expect(d(2.5, 'app[1]', 'cache')).toBe(2000);
    expect(d(3.5, 'app[0]', 'cache')).toBe(-1);
    expect(d(3.5, 'cache', 'app[0]')).toBe(-1);
    expect(d(3.5, 'app[1]', 'cache')).toBe(2000);
    expect(d(4.5, 'cache', 'app[0]')).toBe(2000);
  });
});
