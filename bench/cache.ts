import { createStream, zipf } from '../engine/index.ts';
import {
  createOptPolicy,
  createPolicy,
  POLICY_NAMES,
  type PolicyName,
} from '../models/cache/policies/index.ts';
import type { EvictionPolicy } from '../models/cache/policy.ts';
import { replay } from '../models/cache/replay.ts';
import {
  type BenchGroup,
  byName,
  type NamedFigure,
  namedFigure,
  type RunOptions,
} from './measure.ts';

/** One benchmark result row (the shape bench/main.ts collects). */
export type BenchResult = NamedFigure;

/** Live JS heap plus typed-array storage after a full GC (run node with --expose-gc). */
function heapBytes(): number {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Heap growth per resident entry when a policy is filled with `capacity` distinct keys. Noisy when
 * several policies are measured in one process (garbage of earlier runs); run one per process.
 */
function memoryPerEntry(name: PolicyName, capacity: number): number {
  const before = heapBytes();
  const p = createPolicy(name, { capacity, rng: createStream(1, 'bench', name) });
  for (let k = 1; k <= capacity; k++) if (!p.get(k)) p.admit(k, 1);
  const after = heapBytes();
  return p.size > 0 ? (after - before) / p.size : 0;
}

function trace(n: number, length: number): Float64Array {
  const rng = createStream(1, 'bench', 'trace');
  const z = zipf(n, 0.9);
  const t = new Float64Array(length);
  for (let i = 0; i < length; i++) t[i] = z.sample(rng);
  return t;
}

function build(name: PolicyName | 'opt', capacity: number, t: Float64Array): EvictionPolicy {
  if (name === 'opt') return createOptPolicy({ capacity }, t);
  return createPolicy(name, { capacity, rng: createStream(1, 'bench', name) });
}

/**
 * Operations per second (get + admit on miss) for every policy with 1e4 and 1e6 resident
 * entries (keys Zipf(0.9) over 10 × capacity, cache pre-filled), and heap bytes per entry.
 */
export function cacheBenchmarks(
  runs = 3,
  ops = 300_000,
  capacities: readonly number[] = [10_000, 1_000_000],
): BenchResult[] {
  const out: BenchResult[] = [];
  for (const capacity of capacities) {
    const fill = 2 * capacity;
    const t = trace(10 * capacity, fill + ops);
    for (const name of [...POLICY_NAMES, 'opt'] as const) {
      const rates: number[] = [];
      let bytesPerEntry: number;
      for (let r = 0; r < runs; r++) {
        const p = build(name, capacity, t);
        const warm = t.subarray(0, fill);
        replay(p, warm);
        const timed = t.subarray(fill);
        const start = performance.now();
        // OPT must see the trace in order, so it replays the timed part after the fill.
        replay(p, timed);
        rates.push(ops / ((performance.now() - start) / 1000));
      }
      out.push(namedFigure(`cache/${name}/${capacity}`, 'ops/s', rates));
      if (name !== 'opt') {
        bytesPerEntry = memoryPerEntry(name, capacity);
        out.push(namedFigure(`cache/${name}/${capacity}/memory`, 'bytes/entry', [bytesPerEntry]));
      }
    }
  }
  return out;
}

/** The cache group: eviction policy speed and memory (--quick: 10 000 entries only). */
export const cacheGroup: BenchGroup = {
  name: 'cache',
  summary: 'eviction policies: ops/s and bytes per entry at 10^4 and 10^6 entries',
  run: (options: RunOptions) => {
    const rows = options.quick
      ? cacheBenchmarks(3, 300_000, [10_000])
      : cacheBenchmarks(3, 300_000, [10_000, 1_000_000]);
    return { figures: byName(rows), checks: [] };
  },
};
