import { readFileSync } from 'node:fs';
import { runScenario } from '../models/scenario/build.ts';
import { loadScenarioText } from '../models/scenario/load.ts';
import {
  type BenchGroup,
  type Check,
  collectGarbage,
  type Figure,
  figure,
  type RunOptions,
  ratios,
  runChild,
  timeSeconds,
} from './measure.ts';

// scenarios/checkout.json (2 000 req/s through a proxy, 4 app servers and a database) run on
// this thread for a fixed simulated time: simulated requests and events per wall second. Then
// peak RSS in fresh processes for 1× and 10× that simulated time. V8 sizes its heap lazily, so
// an uncapped process keeps more garbage the longer it runs; the check therefore runs both
// children with a small heap (old space 32 MiB, semi-space 1 MiB; the live heap is about
// 14 MiB): a run whose live memory grew with the simulated time would need more RSS there (or
// run out of heap). Uncapped peaks and the live heap after a full GC are reported too.
const SIMULATED_SECONDS = 60;
const RUNS = 5;
const CAP = ['--max-old-space-size=32', '--max-semi-space-size=1', '--expose-gc'];
const SCENARIO = new URL('../scenarios/checkout.json', import.meta.url);

interface CheckoutRun {
  readonly requests: number;
  readonly events: number;
  readonly wallSeconds: number;
  readonly fingerprint: string;
}

/** One replication of checkout.json with no warm-up and `seconds` measured. */
function runCheckout(seconds: number): CheckoutRun {
  const loaded = loadScenarioText(readFileSync(SCENARIO, 'utf8'), {
    overrides: [
      { path: 'run.warmup', value: '0s' },
      { path: 'run.duration', value: `${seconds}s` },
    ],
  });
  if (!loaded.ok) throw new Error(`checkout.json: ${JSON.stringify(loaded.issues)}`);
  let result: ReturnType<typeof runScenario> | undefined;
  const wallSeconds = timeSeconds(() => {
    result = runScenario(loaded.scenario);
  });
  const r = result!;
  return {
    requests: r.components.shoppers?.arrivals ?? 0,
    events: r.events,
    wallSeconds,
    fingerprint: r.fingerprint,
  };
}

interface MemChild {
  readonly seconds: number;
  readonly events: number;
  readonly maxRssBytes: number;
  /** heapUsed + arrayBuffers after a full GC at the end (0 without --expose-gc). */
  readonly liveBytes: number;
}

function memoryChild(args: readonly string[]): MemChild {
  const seconds = Number(args[0]);
  if (!(seconds > 0)) throw new Error('usage: --child checkout-mem SECONDS');
  const run = runCheckout(seconds);
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  collectGarbage();
  const m = process.memoryUsage();
  return {
    seconds,
    events: run.events,
    maxRssBytes,
    liveBytes: hasGc ? m.heapUsed + m.arrayBuffers : 0,
  };
}

const MIB = 2 ** 20;

/** Peak RSS (MiB) of 1× and 10× runs in fresh processes, `runs` pairs, with node flags. */
function memoryPairs(runs: number, flags: readonly string[]) {
  const small: MemChild[] = [];
  const large: MemChild[] = [];
  for (let r = 0; r < runs; r++) {
    small.push(runChild('checkout-mem', [String(SIMULATED_SECONDS)], flags) as MemChild);
    large.push(runChild('checkout-mem', [String(10 * SIMULATED_SECONDS)], flags) as MemChild);
  }
  const rss = (xs: MemChild[]) => xs.map((x) => x.maxRssBytes / MIB);
  return { small, large, ratio: figure(ratios(rss(large), rss(small)), 'ratio'), rss };
}

function runGroup(options: RunOptions): { figures: Record<string, Figure>; checks: Check[] } {
  runCheckout(2); // warm-up: JIT and module initialisation
  const requests: number[] = [];
  const events: number[] = [];
  const walls: number[] = [];
  const perRequest: number[] = [];
  const prints = new Set<string>();
  for (let r = 0; r < RUNS; r++) {
    const run = runCheckout(SIMULATED_SECONDS);
    perRequest.push(run.events / run.requests);
    requests.push(run.requests / run.wallSeconds);
    events.push(run.events / run.wallSeconds);
    walls.push(run.wallSeconds);
    prints.add(run.fingerprint);
  }
  const s1 = `${SIMULATED_SECONDS}s`;
  const s10 = `${10 * SIMULATED_SECONDS}s`;
  const capped = memoryPairs(options.quick ? 1 : 2, CAP);
  const wall = figure(walls, 's');
  const figures: Record<string, Figure> = {
    'checkout.requests': figure(requests, 'simulated requests/s'),
    'checkout.events': figure(events, 'events/s'),
    'checkout.events per request': figure(perRequest, 'events'),
    'checkout.wall': wall,
    [`checkout.${s1}.peakRss (heap capped)`]: figure(capped.rss(capped.small), 'MiB'),
    [`checkout.${s10}.peakRss (heap capped)`]: figure(capped.rss(capped.large), 'MiB'),
    'checkout.peakRss 10x/1x (heap capped)': capped.ratio,
    [`checkout.${s1}.live heap after GC`]: figure(
      capped.small.map((x) => x.liveBytes / MIB),
      'MiB',
    ),
    [`checkout.${s10}.live heap after GC`]: figure(
      capped.large.map((x) => x.liveBytes / MIB),
      'MiB',
    ),
  };
  if (!options.quick) {
    const free = memoryPairs(1, []);
    figures[`checkout.${s1}.peakRss (uncapped)`] = figure(free.rss(free.small), 'MiB');
    figures[`checkout.${s10}.peakRss (uncapped)`] = figure(free.rss(free.large), 'MiB');
  }
  return {
    figures,
    checks: [
      {
        name: 'checkout simulated requests per wall second (issue #4 target)',
        target: '>= 300 000',
        value: figures['checkout.requests']!.median,
        met: figures['checkout.requests']!.median >= 300_000,
      },
      {
        name: `checkout ${s1} simulated takes >= 0.5 s wall (measurable)`,
        target: '>= 0.5 s',
        value: wall.min,
        met: wall.min >= 0.5,
      },
      {
        name: 'checkout runs are deterministic (distinct fingerprints)',
        target: '1',
        value: prints.size,
        met: prints.size === 1,
      },
      {
        name: `checkout peak RSS ${s10} / ${s1} simulated (heap capped: old 32 MiB, semi 1 MiB)`,
        target: 'within 10% (0.9 .. 1.1)',
        value: capped.ratio.median,
        met: capped.ratio.min >= 0.9 && capped.ratio.max <= 1.1,
      },
    ],
  };
}

/** The checkout group: end-to-end simulation speed on a realistic stack, and memory flatness. */
export const checkoutGroup: BenchGroup = {
  name: 'checkout',
  summary: `scenarios/checkout.json, ${SIMULATED_SECONDS} s simulated × ${RUNS}; peak RSS at 1× and 10×`,
  run: runGroup,
  children: { 'checkout-mem': memoryChild },
};
