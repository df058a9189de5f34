// cache-curve throughput: each policy over a 1 M-request Zipf(1.0) trace of 100 k objects at a
// 1% cache, the one-pass LRU curve for 100 sizes at once, and CSV trace reading (docs/performance.md).
import { runCurve } from '../models/cache/curve/run.ts';
import type { CurvePolicy } from '../models/cache/curve/spec.ts';
import { StackDistanceLru } from '../models/cache/curve/stack-distance.ts';
import { CsvTraceReader } from '../models/trace/csv.ts';
import { bytesSource, emptyRecord, type TraceSource } from '../models/trace/record.ts';
import { cliFigures } from './cache-curve-cli.ts';
import { csvBytes, zipfKeys } from './curve-trace.ts';
import {
  type BenchGroup,
  byName,
  type Check,
  collectGarbage,
  namedFigure,
  runChild,
} from './measure.ts';

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

/** Fresh processes per workload, and timed runs in each after its first run. */
export const CURVE_ROUNDS = 5;
export const CURVE_RUNS_PER_CHILD = 2;
/** Runs of each `stacksim cache-curve` command (1 M-line and 1-line trace) in bench/cache-curve-cli.ts. */
export const CURVE_CLI_ROUNDS = 3;

/**
 * The figure names of this group, each also with a " [per CPU s]" twin and a
 * " [first run, per CPU s]" one (the first pass of a fresh process).
 */
export const CURVE_FIGURES = {
  reference: 'reference: Map get/set loop (same keys)',
  policy: (name: string) => `${name} (1% = 1 000 objects)`,
  onePass: 'one-pass LRU, 100 sizes (1%..100%)',
  csv: 'CSV reading (time,key,size; in memory)',
} as const;

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

/** The workloads, each measured in fresh child processes (key: figure name). */
const WORKLOADS: readonly string[] = [
  'reference',
  ...CURVE_POLICIES.map((p) => `policy:${p}`),
  'one-pass',
  'csv',
];

function figureOf(workload: string): string {
  if (workload === 'reference') return CURVE_FIGURES.reference;
  if (workload === 'one-pass') return CURVE_FIGURES.onePass;
  if (workload === 'csv') return CURVE_FIGURES.csv;
  return CURVE_FIGURES.policy(workload.slice('policy:'.length));
}

/** The timed part of one workload over `keys` (bytes: the same keys as CSV). */
function workloadFn(workload: string, keys: Float64Array, bytes: Uint8Array): () => void {
  if (workload === 'reference') {
    // Machine reference: the least a policy must do per request (one Map lookup, a set on a
    // miss of a 1 000-entry window), so rates can be read relative to how loaded the host is.
    return () => {
      const m = new Map<number, number>();
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (m.get(k) === undefined) {
          m.set(k, i);
          if (m.size > 1000) m.delete(m.keys().next().value!);
        }
      }
    };
  }
  if (workload === 'one-pass') {
    const sizes = Array.from({ length: 100 }, (_, i) => Math.round(((i + 1) / 100) * 100_000));
    return () => {
      const sd = new StackDistanceLru(sizes, { unitWeights: true });
      for (let i = 0; i < keys.length; i++) sd.access(keys[i]!);
      sd.misses();
    };
  }
  if (workload === 'csv') {
    return () => {
      const reader = new CsvTraceReader(bytesSource('bench.csv', bytes));
      let n = 0;
      while (reader.next() !== undefined) n++;
      if (n !== keys.length) throw new Error(`read ${n} lines`);
    };
  }
  const name = workload.slice('policy:'.length);
  const policy: CurvePolicy = { label: name, name: name as CurvePolicy['name'], tuning: {} };
  return () => {
    runCurve(source(keys), {
      policies: [policy],
      sizes: [{ label: '1%', value: 1000 }],
      ignoreSize: true,
      sampleRate: 1,
      seed: 1,
      onePassLru: false,
    });
  };
}

/** Rates of one child, per wall second and per CPU second of the process. */
interface CurveChild {
  /** The first run of the fresh process (compiles as it goes, like a `stacksim cache-curve` run). */
  readonly first: { readonly wall: number; readonly cpu: number };
  /** The timed runs after it, one per run. */
  readonly wall: number[];
  readonly cpu: number[];
}

/** Times fn: requests per wall second and per CPU second (user + system) of this process. */
function timed(length: number, fn: () => void): { wall: number; cpu: number } {
  collectGarbage();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wall: length / wall, cpu: length / ((cpu.user + cpu.system) / 1e6) };
}

/**
 * `--child cache-curve WORKLOAD LENGTH RUNS`: a fresh process builds the trace, then times the
 * workload 1 + RUNS times, each after a forced full GC, so no other workload's garbage or
 * compiled code is billed to it. The first run is reported apart: it includes compiling the
 * hot code, as the single pass of a user's `stacksim cache-curve` run does.
 */
function curveChild(args: readonly string[]): CurveChild {
  const [workload = '', lengthArg = '', runsArg = ''] = args;
  const length = Number(lengthArg);
  const runs = Number(runsArg);
  if (!WORKLOADS.includes(workload) || !(length > 0) || !(runs > 0)) {
    throw new Error(`usage: --child cache-curve (${WORKLOADS.join('|')}) LENGTH RUNS`);
  }
  const keys = zipfKeys(100_000, length);
  const bytes = workload === 'csv' ? csvBytes(keys) : new Uint8Array(0);
  const fn = workloadFn(workload, keys, bytes);
  const out: CurveChild = { first: timed(length, fn), wall: [], cpu: [] };
  for (let r = 0; r < runs; r++) {
    const t = timed(length, fn);
    out.wall.push(t.wall);
    out.cpu.push(t.cpu);
  }
  return out;
}

/** The cache-curve group: per-policy req/s at 1%, one-pass LRU req/s for 100 sizes, CSV lines/s. */
export const cacheCurveGroup: BenchGroup = {
  name: 'cache-curve',
  summary:
    'cache-curve throughput per policy (1 M Zipf(1.0) requests, 100 k objects, 1% cache), one-pass LRU, CSV reading; fresh process per workload',
  run({ quick }) {
    const length = quick ? 200_000 : 1_000_000;
    // rounds × (one fresh process per workload, round-robin so drift of the machine hits all
    // alike) × (a first run, reported apart, then the timed runs)
    const rounds = quick ? 2 : CURVE_ROUNDS;
    const perChild = quick ? 1 : CURVE_RUNS_PER_CHILD;
    const samples: Record<string, number[]> = {};
    const put = (name: string, v: readonly number[]) => {
      samples[name] ??= [];
      samples[name]!.push(...v);
    };
    for (let r = 0; r < rounds; r++) {
      for (const w of WORKLOADS) {
        const out = runChild(
          'cache-curve',
          [w, String(length), String(perChild)],
          ['--expose-gc'],
        ) as CurveChild;
        put(figureOf(w), out.wall);
        put(`${figureOf(w)} [per CPU s]`, out.cpu);
        put(`${figureOf(w)} [first run, per CPU s]`, [out.first.cpu]);
      }
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
    // what a user's whole `stacksim cache-curve` process costs on the same trace as a file
    const cli = cliFigures(length, quick ? 1 : CURVE_CLI_ROUNDS);
    return { figures: { ...byName(figures), ...cli }, checks };
  },
  children: { 'cache-curve': curveChild },
};
