// Rate limiter benchmark: decisions per second for each algorithm over 10^6 distinct keys, and
// heap bytes per live key. Wired into bench/main.ts by the lead; runnable alone after bundling:
//   npx esbuild bench/ratelimit.ts --bundle --platform=node --format=esm --outfile=dist/ratelimit-bench.mjs
//   node --expose-gc dist/ratelimit-bench.mjs
import { ALGORITHM_NAMES, type AlgorithmSpec, createAlgorithm } from '../models/ratelimit/spec.ts';

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

if (/[\\/]ratelimit(-bench)?\.(ts|mjs|js)$/.test(process.argv[1] ?? '')) {
  for (const r of runRatelimitBench()) {
    console.log(
      `${r.name.padEnd(48)} ${r.median.toFixed(0).padStart(12)} ${r.unit} (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)}, runs ${r.runs})`,
    );
  }
}
