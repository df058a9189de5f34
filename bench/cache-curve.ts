// cache-curve throughput: each policy over a 1 M-request Zipf(1.0) trace of 100 k objects at a
// 1% cache, the one-pass LRU curve for 100 sizes at once, and CSV trace reading (docs/performance.md).
import { createStream, zipf } from '../engine/index.ts';
import { runCurve } from '../models/cache/curve/run.ts';
import type { CurvePolicy } from '../models/cache/curve/spec.ts';
import { StackDistanceLru } from '../models/cache/curve/stack-distance.ts';
import { CsvTraceReader } from '../models/trace/csv.ts';
import { bytesSource, emptyRecord, type TraceSource } from '../models/trace/record.ts';
import { type BenchGroup, byName, type Check, namedFigure, rate } from './measure.ts';

/** The policies measured alone, in table order. */
export const CURVE_POLICIES = [
  'lru',
  'fifo',
  'sieve',
  'clock',
  'arc',
  's3-fifo',
  'w-tinylfu',
  'lfu-aging',
] as const;

/** The figure names of this group (each also with a " [per CPU s]" twin). */
export const CURVE_FIGURES = {
  reference: 'reference: Map get/set loop (same keys)',
  policy: (name: string) => `${name} (1% = 1 000 objects)`,
  onePass: 'one-pass LRU, 100 sizes (1%..100%)',
  csv: 'CSV reading (time,key,size; in memory)',
} as const;

function zipfKeys(n: number, length: number): Float64Array {
  const rng = createStream(1, 'bench', 'cache-curve');
  const z = zipf(n, 1.0);
  const t = new Float64Array(length);
  for (let i = 0; i < length; i++) t[i] = z.sample(rng);
  return t;
}

function source(keys: Float64Array): TraceSource {
  let i = 0;
  const r = emptyRecord();
  return {
    next() {
      if (i >= keys.length) return undefined;
      r.key = keys[i++]!;
      return r;
    },
  };
}

function csvBytes(keys: Float64Array): Uint8Array {
  const parts: string[] = ['time,key,size\n'];
  for (let i = 0; i < keys.length; i++)
    parts.push(`${(i / 1000).toFixed(3)},${keys[i]},${100 + (keys[i]! % 900)}\n`);
  return Buffer.from(parts.join(''));
}

/** The cache-curve group: per-policy req/s at 1%, one-pass LRU req/s for 100 sizes, CSV lines/s. */
export const cacheCurveGroup: BenchGroup = {
  name: 'cache-curve',
  summary:
    'cache-curve throughput per policy (1 M Zipf(1.0) requests, 100 k objects, 1% cache), one-pass LRU, CSV reading',
  run({ quick }) {
    const length = quick ? 200_000 : 1_000_000;
    const keys = zipfKeys(100_000, length);
    const runs = quick ? 3 : 5;
    const samples: Record<string, number[]> = {};
    const put = (name: string, v: number) => {
      samples[name] ??= [];
      samples[name]!.push(v);
    };
    // Each measurement yields two figures: per wall second, and per CPU second of this process
    // (user + system time), which a host loaded by other processes distorts far less.
    const push = (name: string, fn: () => void) => {
      const cpu0 = process.cpuUsage();
      const wall = rate(length, fn);
      const cpu = process.cpuUsage(cpu0);
      put(name, wall);
      put(`${name} [per CPU s]`, length / ((cpu.user + cpu.system) / 1e6));
    };
    const bytes = csvBytes(keys);
    const sizes = Array.from({ length: 100 }, (_, i) => Math.round(((i + 1) / 100) * 100_000));
    for (let r = 0; r < runs; r++) {
      // Machine reference: the least a policy must do per request (one Map lookup, a set on a
      // miss of a 1 000-entry window), so rates can be read relative to how loaded the host is.
      push(CURVE_FIGURES.reference, () => {
        const m = new Map<number, number>();
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i]!;
          if (m.get(k) === undefined) {
            m.set(k, i);
            if (m.size > 1000) m.delete(m.keys().next().value!);
          }
        }
      });
      for (const name of CURVE_POLICIES) {
        const policy: CurvePolicy = { label: name, name, tuning: {} };
        push(CURVE_FIGURES.policy(name), () => {
          runCurve(source(keys), {
            policies: [policy],
            sizes: [{ label: '1%', value: 1000 }],
            ignoreSize: true,
            sampleRate: 1,
            seed: 1,
            onePassLru: false,
          });
        });
      }
      push(CURVE_FIGURES.onePass, () => {
        const sd = new StackDistanceLru(sizes);
        for (let i = 0; i < keys.length; i++) sd.access(keys[i]!);
        sd.misses();
      });
      push(CURVE_FIGURES.csv, () => {
        const reader = new CsvTraceReader(bytesSource('bench.csv', bytes));
        let n = 0;
        while (reader.next() !== undefined) n++;
        if (n !== length) throw new Error(`read ${n} lines`);
      });
    }
    const figures = Object.entries(samples).map(([name, s]) => namedFigure(name, 'req/s', s));
    const med = (name: string) => figures.find((f) => f.name === `${name} [per CPU s]`)!.median;
    const checks: Check[] = [
      ...['lru', 'fifo', 'sieve'].map((p) => ({
        name: `${p} at 1% (per CPU s)`,
        target: '>= 5 000 000 req/s',
        value: med(CURVE_FIGURES.policy(p)),
        met: med(CURVE_FIGURES.policy(p)) >= 5e6,
      })),
      {
        name: 'one-pass LRU, all sizes (per CPU s)',
        target: '>= 2 000 000 req/s',
        value: med(CURVE_FIGURES.onePass),
        met: med(CURVE_FIGURES.onePass) >= 2e6,
      },
      {
        name: 'CSV reading (per CPU s)',
        target: '>= 10 000 000 lines/s',
        value: med(CURVE_FIGURES.csv),
        met: med(CURVE_FIGURES.csv) >= 1e7,
      },
    ];
    return { figures: byName(figures), checks };
  },
};
