import { type Behavior, type Context, createStream, Simulation } from '../engine/index.ts';
import { BareHeap } from './bare-heap.ts';
import {
  type BenchGroup,
  type Check,
  type Figure,
  figure,
  rate,
  ratios,
  roundRobin,
} from './measure.ts';

// The classic hold model: N events pending; each fired event schedules one more at
// now + Exp(1 s). Every variant first fires N events to warm the queue, then times HOLDS more.
const SIZES = [1_000, 100_000] as const;
const HOLDS = 2_000_000;
const RUNS = 5;
const SEED = 42;

interface HoldState {
  readonly n: number;
}

const HOLD = { type: 'hold' } as const;

function holdBehavior(): Behavior<HoldState> {
  return {
    on: {
      'sim.start': (state: HoldState, _msg, ctx: Context) => {
        const rng = ctx.rng('hold');
        for (let i = 0; i < state.n; i++) ctx.after(-Math.log(1 - rng.next()) * 1e6, HOLD);
      },
      hold: (_state: HoldState, _msg, ctx: Context) => {
        ctx.after(-Math.log(1 - ctx.rng('hold').next()) * 1e6, HOLD);
      },
    },
  };
}

/** Hold through the public API; returns events per second of the timed part. */
function engineHold(n: number, queue: 'typed-heap' | 'heap-js'): () => number {
  return () => {
    const sim = new Simulation({ seed: SEED, queue, fingerprint: false });
    sim.spawn('hold', holdBehavior(), { n });
    sim.run({ maxEvents: 1 + n }); // sim.start, then N warm-up holds
    return rate(HOLDS, () => {
      if (sim.run({ maxEvents: HOLDS }).events !== HOLDS) throw new Error('hold ran dry');
    });
  };
}

/** Hold on a bare typed-array heap with the same draws and rounding, and nothing else. */
function bareHold(n: number): () => number {
  return () => {
    const rng = createStream(SEED, 'hold', 'hold');
    const heap = new BareHeap(n + 1);
    const step = (): void => {
      heap.pop();
      heap.push(heap.topTime + Math.round(-Math.log(1 - rng.next()) * 1e6), 0);
    };
    for (let i = 0; i < n; i++) heap.push(Math.round(-Math.log(1 - rng.next()) * 1e6), 0);
    for (let i = 0; i < n; i++) step();
    return rate(HOLDS, () => {
      for (let i = 0; i < HOLDS; i++) step();
    });
  };
}

function runHold(): { figures: Record<string, Figure>; checks: Check[] } {
  const figures: Record<string, Figure> = {};
  const checks: Check[] = [];
  for (const n of SIZES) {
    const rates = roundRobin(
      { engine: engineHold(n, 'typed-heap'), bare: bareHold(n), heapJs: engineHold(n, 'heap-js') },
      RUNS,
    );
    const label = `hold.n${n}`;
    figures[`${label}.engine`] = figure(rates.engine!, 'events/s');
    figures[`${label}.bare`] = figure(rates.bare!, 'events/s');
    figures[`${label}.heap-js`] = figure(rates.heapJs!, 'events/s');
    const ratio = figure(ratios(rates.engine!, rates.bare!), 'ratio');
    figures[`${label}.engine/bare`] = ratio;
    checks.push({
      name: `hold N=${n}: engine / bare heap`,
      target: '>= 0.6',
      value: ratio.median,
      met: ratio.median >= 0.6,
    });
    if (n === 100_000) {
      checks.push({
        name: `hold N=${n}: engine / bare heap (issue #16)`,
        target: '>= 0.8',
        value: ratio.median,
        met: ratio.median >= 0.8,
      });
    }
  }
  return { figures, checks };
}

/** The hold benchmark group. */
export const holdGroup: BenchGroup = {
  name: 'hold',
  summary: `classic hold model, ${HOLDS.toLocaleString('en')} holds after N warm-up events`,
  run: runHold,
};
