// Rate limiter benchmark: decisions per second for each algorithm over 10^6 distinct keys, and
// heap bytes per live key. Group `ratelimit` of the bench harness:
//   npm run bench -- --only ratelimit
import { ALGORITHM_NAMES, type AlgorithmSpec, createAlgorithm } from '../models/ratelimit/spec.ts';
import type { BenchGroup, Check, Figure } from './measure.ts';

/** One benchmark line, in the shape bench/main.ts collects. */
export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

const S = 1_000_000;
const SPECS: Readonly<Record<string, AlgorithmSpec>> = {
  'fixed-window': { algorithm: 'fixed-window', limit: 10, window: S },
  'sliding-log': { algorithm: 'sliding-log', limit: 10, window: S },
  'sliding-counter': { algorithm: 'sliding-counter', limit: 10, window: S },
  'token-bucket': { algorithm: 'token-bucket', rate: 10, burst: 10 },
  'token-bucket-tick': {
    algorithm: 'token-bucket-tick',
    burst: 10,
    interval: S / 10,
    tokensPerFill: 1,
  },
  'leaky-meter': { algorithm: 'leaky-meter', rate: 10, burst: 10, nodelay: false, delay: 0 },
  'leaky-queue': { algorithm: 'leaky-queue', rate: 10, capacity: 10 },
  gcra: { algorithm: 'gcra', rate: 10, maxBurst: 9 },
  'adaptive-concurrency': {
    algorithm: 'adaptive-concurrency',
    initial: 10,
    min: 1,
    max: 100,
    backoff: 0.9,
    timeout: S,
  },
};

const gc = (globalThis as { gc?: () => void }).gc;

function stats(name: string, unit: string, values: number[]): BenchResult {
  const v = [...values].sort((a, b) => a - b);
  return {
    name,
    unit,
    median: v[Math.floor(v.length / 2)]!,
    min: v[0]!,
    max: v[v.length - 1]!,
    runs: v.length,
  };
}

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
        if (name === 'adaptive-concurrency' && d.allowed) algo.onComplete?.(i, i, 10, true);
      }
      rates.push(keys / ((performance.now() - start) / 1000));
      if (gc === undefined || name === 'adaptive-concurrency') continue;
      // Memory: every key decided at t = 0, so none has expired when the heap is measured.
      gc();
      const before = process.memoryUsage().heapUsed;
      const held = createAlgorithm(SPECS[name]!);
      for (let i = 0; i < keys; i++) held.decide(i, 0);
      gc();
      bytes.push((process.memoryUsage().heapUsed - before) / Math.max(1, held.size()));
    }
    out.push(stats(`ratelimit.${name}.decide`, 'decisions/s', rates));
    if (bytes.length > 0) out.push(stats(`ratelimit.${name}.memory`, 'bytes/key', bytes));
  }
  // Idle expiry: 10^6 keys spread over 100 s keep only the last ~1 s of keys alive.
  const tb = createAlgorithm(SPECS['token-bucket']!);
  for (let i = 0; i < keys; i++) tb.decide(i, i * 100);
  out.push(stats('ratelimit.token-bucket.live-keys-after-expiry', 'keys', [tb.size()]));
  return out;
}

/** Limits the group checks: a fast path per decision and memory that follows live keys. */
const MIN_DECISIONS_PER_SECOND = 2e5;
const MAX_LIVE_KEYS_AFTER_EXPIRY = 20_000;

function runGroup(): { figures: Record<string, Figure>; checks: Check[] } {
  const results = runRatelimitBench();
  const figures: Record<string, Figure> = {};
  for (const r of results) {
    figures[r.name] = { median: r.median, min: r.min, max: r.max, runs: r.runs, unit: r.unit };
  }
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
