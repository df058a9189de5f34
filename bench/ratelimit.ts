// Rate limiter benchmark: decisions per second for each algorithm over 10^6 distinct keys, and
// heap bytes per live key. Group `ratelimit` of the bench harness:
//   npm run bench -- --only ratelimit
import { ALGORITHM_NAMES, type AlgorithmSpec, createAlgorithm } from '../models/ratelimit/spec.ts';
import { NOMINAL_SPECS } from '../test/helpers/ratelimit-specs.ts';
import {
  type BenchGroup,
  byName,
  type Check,
  type Figure,
  type NamedFigure,
  namedFigure,
} from './measure.ts';

/** One benchmark line, in the shape bench/main.ts collects. */
export type BenchResult = NamedFigure;

/** The contract suite's nominal specs (about 10/s, burst 10); the meter here delays (no nodelay). */
const SPECS: Readonly<Record<string, AlgorithmSpec>> = {
  ...NOMINAL_SPECS,
  'leaky-meter': { algorithm: 'leaky-meter', rate: 10, burst: 10, nodelay: false, delay: 0 },
};

/** Limits on requests in flight: each decision is completed at once, memory is not measured. */
const IN_FLIGHT: ReadonlySet<string> = new Set(['adaptive-concurrency', 'concurrency']);

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Runs the limiter benchmarks: for each algorithm, `keys` decisions on distinct keys 1 µs apart
 * (keys idle past their refill time expire on the way), then the heap bytes per live key.
 */
export function runRatelimitBench(keys = 1_000_000, runs = 3): BenchResult[] {
  const out: BenchResult[] = [];
  for (const name of ALGORITHM_NAMES) {
    const rates: number[] = [];
    const bytes: number[] = [];
    for (let r = 0; r < runs; r++) {
      const algo = createAlgorithm(SPECS[name]!);
      const start = performance.now();
      for (let i = 0; i < keys; i++) {
        const d = algo.decide(i, i);
        if (IN_FLIGHT.has(name) && d.allowed) algo.onComplete?.(i, i, 10, true);
      }
      rates.push(keys / ((performance.now() - start) / 1000));
      if (gc === undefined || IN_FLIGHT.has(name)) continue;
      // Memory: every key decided at t = 0, so none has expired when the heap is measured.
      gc();
      const before = process.memoryUsage().heapUsed;
      const held = createAlgorithm(SPECS[name]!);
      for (let i = 0; i < keys; i++) held.decide(i, 0);
      gc();
      bytes.push((process.memoryUsage().heapUsed - before) / Math.max(1, held.size()));
    }
    out.push(namedFigure(`ratelimit.${name}.decide`, 'decisions/s', rates));
    if (bytes.length > 0) out.push(namedFigure(`ratelimit.${name}.memory`, 'bytes/key', bytes));
  }
  // Idle expiry: 10^6 keys spread over 100 s keep only the last ~1 s of keys alive.
  const tb = createAlgorithm(SPECS['token-bucket']!);
  for (let i = 0; i < keys; i++) tb.decide(i, i * 100);
  out.push(namedFigure('ratelimit.token-bucket.live-keys-after-expiry', 'keys', [tb.size()]));
  return out;
}

/** Limits the group checks: a fast path per decision and memory that follows live keys. */
const MIN_DECISIONS_PER_SECOND = 2e5;
const MAX_LIVE_KEYS_AFTER_EXPIRY = 20_000;

function runGroup(): { figures: Record<string, Figure>; checks: Check[] } {
  const figures = byName(runRatelimitBench());
  const checks: Check[] = [];
  for (const name of ALGORITHM_NAMES) {
    const f = figures[`ratelimit.${name}.decide`];
    if (f === undefined) continue;
    checks.push({
      name: `ratelimit/${name} decisions/s`,
      target: `>= ${MIN_DECISIONS_PER_SECOND}`,
      value: f.median,
      met: f.median >= MIN_DECISIONS_PER_SECOND,
    });
  }
  const live = figures['ratelimit.token-bucket.live-keys-after-expiry']!;
  checks.push({
    name: 'ratelimit/live keys after expiry (10^6 keys over 100 s)',
    target: `<= ${MAX_LIVE_KEYS_AFTER_EXPIRY}`,
    value: live.median,
    met: live.median <= MAX_LIVE_KEYS_AFTER_EXPIRY,
  });
  return { figures, checks };
}

/** Bench group `ratelimit`: decisions per second and bytes per key of every algorithm. */
export const ratelimitGroup: BenchGroup = {
  name: 'ratelimit',
  summary:
    'Rate limiter: decisions/s per algorithm over 10^6 distinct keys, heap bytes per live key, idle-key expiry.',
  run: runGroup,
};
