// The comparison behind docs/histogram.md: the engine's LatencyHistogram against hdr-histogram-js
// (its pure-JS build, 2 and 3 significant digits, 64-bit and packed counts) and an exact sorted
// array. record(), percentile() and merge() are timed with tinybench, all variants side by side
// in each round; memory is measured on the heap; accuracy is the worst relative error of any
// percentile over 2·10^6 values. Run: node build.mjs && node --expose-gc dist/bench.mjs --only histogram
import * as hdr from 'hdr-histogram-js';
import { Bench } from 'tinybench';
import {
  createStream,
  exponential,
  LatencyHistogram,
  lognormal,
  nearestRank,
} from '../engine/index.ts';
import {
  type BenchGroup,
  type Check,
  collectGarbage,
  type Figure,
  figure,
  runChild,
} from './measure.ts';

const HOUR = 3.6e9;
const N = 2_000_000;
const BATCH = 4096;

/** The face every compared histogram shows to the accuracy, memory and merge measurements. */
interface Subject {
  record(v: number): void;
  percentile(q: number): number;
  merge(other: Subject): void;
  readonly mean: number;
}

class Ours implements Subject {
  readonly h = new LatencyHistogram();
  record(v: number): void {
    this.h.record(v);
  }
  percentile(q: number): number {
    return this.h.percentile(q);
  }
  merge(other: Subject): void {
    this.h.merge((other as Ours).h);
  }
  get mean(): number {
    return this.h.mean;
  }
}

type HdrConfig = { readonly digits: 2 | 3; readonly bits: 64 | 'packed' };
const buildHdr = (c: HdrConfig): hdr.Histogram =>
  hdr.build({
    bitBucketSize: c.bits,
    numberOfSignificantValueDigits: c.digits,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HOUR,
    autoResize: false,
    useWebAssembly: false,
  });

class Hdr implements Subject {
  readonly h: hdr.Histogram;
  constructor(c: HdrConfig) {
    this.h = buildHdr(c);
  }
  record(v: number): void {
    this.h.recordValue(v);
  }
  percentile(q: number): number {
    return this.h.getValueAtPercentile(q);
  }
  merge(other: Subject): void {
    this.h.add((other as Hdr).h);
  }
  get mean(): number {
    return this.h.mean;
  }
}

const VARIANTS: Readonly<Record<string, () => Subject>> = {
  ours: () => new Ours(),
  hdr2: () => new Hdr({ digits: 2, bits: 64 }),
  hdr3: () => new Hdr({ digits: 3, bits: 64 }),
  hdr2packed: () => new Hdr({ digits: 2, bits: 'packed' }),
  hdr3packed: () => new Hdr({ digits: 3, bits: 'packed' }),
};
const HISTOGRAMS = ['ours', 'hdr2', 'hdr3', 'hdr2packed', 'hdr3packed'] as const;
/** Timed and measured: the histograms and the exact sorted array (a growing number[]). */
const ALL = [...HISTOGRAMS, 'sortedArray'] as const;

/** q = 0, 0.1, ..., 99.9, then the far tail and 100. */
const GRID = [...Array.from({ length: 1000 }, (_, k) => k / 10), 99.95, 99.99, 99.995, 99.999, 100];

/** Every whole percentile and the tail: for comparisons of slow (packed) histograms. */
const COARSE = [...Array.from({ length: 100 }, (_, k) => k), 99.9, 99.99, 99.999, 100];

/** The samples (µs, all >= 1): integer µs like the simulator's clock, plus one fractional set. */
const SETS = ['logUniform', 'exponential', 'lognormal', 'logUniformFractional'] as const;
function dataset(name: string): Float64Array {
  const rng = createStream(1, 'bench', `histogram.${name}`);
  const logUniform = () => Math.exp(rng.next() * Math.log(HOUR)); // 1 µs .. 1 h
  const int = (v: number) => Math.max(1, Math.round(v));
  const exp = exponential(50_000);
  const logn = lognormal({ mean: 20_000, cv: 3 });
  const draw: Record<string, () => number> = {
    logUniform: () => int(logUniform()),
    exponential: () => int(exp.sample(rng)),
    lognormal: () => int(logn.sample(rng)),
    logUniformFractional: logUniform,
  };
  const f = draw[name];
  if (f === undefined) throw new Error(`no data set ${name}`);
  return Float64Array.from({ length: N }, f);
}

type Recorder = { record(v: number): void };
function fill<T extends Recorder>(s: T, values: Float64Array, from = 0, to = values.length): T {
  for (let i = from; i < to; i++) s.record(values[i]!);
  return s;
}

/** Worst relative error over GRID against the exact nearest-rank percentile, and of the mean. */
function accuracy(s: Subject, sorted: Float64Array, exactMean: number) {
  let worst = 0;
  let worstQ = 0;
  for (const q of GRID) {
    const exact = sorted[nearestRank(q, sorted.length) - 1]!;
    const err = Math.abs(s.percentile(q) - exact) / exact;
    if (err > worst) [worst, worstQ] = [err, q];
  }
  return { worst, worstQ, meanError: Math.abs(s.mean - exactMean) / exactMean };
}

/** Worst error of ours when the middle of three values sits at a bucket edge (fractional µs). */
function oursEdgeError(): number {
  let worst = 0;
  for (let e = 0; e < 32; e++) {
    for (let s = 0; s < 64; s++) {
      for (const v of [2 ** e * (1 + s / 64), 2 ** e * (1 + (s + 1) / 64) * (1 - 1e-12)]) {
        const h = new LatencyHistogram();
        for (const x of [0.5, v, 2 ** 33]) h.record(x);
        worst = Math.max(worst, Math.abs(h.percentile(50) - v) / v);
      }
    }
  }
  return worst;
}

/** Worst error of hdr on integers: the lowest value of each bucket reports the bucket's highest. */
function hdrEdgeError(c: HdrConfig): number {
  const h = buildHdr(c) as unknown as { highestEquivalentValue(v: number): number };
  let worst = 0;
  for (let v = 1; v <= HOUR; ) {
    const top = h.highestEquivalentValue(v);
    worst = Math.max(worst, (top - v) / v);
    v = top + 1;
  }
  return worst;
}

/** Exact: every value kept in a growing array (sorted on a query). */
class ArrayRecorder {
  readonly values: number[] = [];
  record(v: number): void {
    this.values.push(v);
  }
}

/** Bytes per histogram (child process): heap + array-buffer growth for `k` histograms, after GC. */
function bytesPer(name: string): number {
  const values = dataset('logUniform');
  const [k, per] = name === 'sortedArray' ? [1, N] : [20, 100_000];
  const used = () => {
    collectGarbage();
    collectGarbage();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const make = () => (name === 'sortedArray' ? new ArrayRecorder() : VARIANTS[name]!());
  const kept = Array.from({ length: k }, (_, j) => fill(make(), values, j * per, (j + 1) * per));
  const after = used();
  if (kept.length !== k) throw new Error('unreachable');
  return (after - before) / k;
}

/** The whole state, serialized: ours as JSON, hdr-histogram-js in its compressed encoding. */
function state(s: Subject): string {
  if (s instanceof Ours) return JSON.stringify(s.h.toJSON());
  if (s instanceof Hdr) return hdr.encodeIntoCompressedBase64(s.h);
  throw new Error('no serialized state');
}

/** Merged from 4 parts recorded in reverse order == recorded whole (state and percentiles). */
function mergesIdentically(make: () => Subject, values: Float64Array): boolean {
  const whole = fill(make(), values);
  const parts = [0, 1, 2, 3].map(() => make());
  for (let i = values.length - 1; i >= 0; i--) parts[i & 3]!.record(values[i]!);
  const merged = make();
  for (const p of parts.reverse()) merged.merge(p);
  return (
    state(whole) === state(merged) &&
    COARSE.every((q) => whole.percentile(q) === merged.percentile(q))
  );
}

/** Record closures, one literal per variant so that no call site is shared (megamorphic). */
function recordTasks(values: Float64Array): Record<string, () => void> {
  const ours = new LatencyHistogram();
  const h2 = buildHdr({ digits: 2, bits: 64 });
  const h3 = buildHdr({ digits: 3, bits: 64 });
  const h2p = buildHdr({ digits: 2, bits: 'packed' });
  const h3p = buildHdr({ digits: 3, bits: 'packed' });
  let array: number[] = [];
  const at = { ours: 0, h2: 0, h3: 0, h2p: 0, h3p: 0, arr: 0 };
  const step = (k: number) => (k + 2 * BATCH > N ? 0 : k + BATCH);
  return {
    ours: () => {
      const k = at.ours;
      for (let i = k; i < k + BATCH; i++) ours.record(values[i]!);
      at.ours = step(k);
    },
    hdr2: () => {
      const k = at.h2;
      for (let i = k; i < k + BATCH; i++) h2.recordValue(values[i]!);
      at.h2 = step(k);
    },
    hdr3: () => {
      const k = at.h3;
      for (let i = k; i < k + BATCH; i++) h3.recordValue(values[i]!);
      at.h3 = step(k);
    },
    hdr2packed: () => {
      const k = at.h2p;
      for (let i = k; i < k + BATCH; i++) h2p.recordValue(values[i]!);
      at.h2p = step(k);
    },
    hdr3packed: () => {
      const k = at.h3p;
      for (let i = k; i < k + BATCH; i++) h3p.recordValue(values[i]!);
      at.h3p = step(k);
    },
    sortedArray: () => {
      const k = at.arr;
      if (k === 0) array = [];
      for (let i = k; i < k + BATCH; i++) array.push(values[i]!);
      at.arr = step(k);
    },
  };
}

/** Median per-call latency (ms) of a finished tinybench task. */
function medianMs(bench: Bench, name: string): number {
  const r = bench.getTask(name)?.result;
  if (r === undefined || !('latency' in r))
    throw new Error(`tinybench task ${name} did not finish (${r?.state})`);
  return r.latency.p50;
}

/** One tinybench round: every variant's record, percentile and merge, side by side. */
function timingRound(
  quick: boolean,
  values: Float64Array,
  filled: Readonly<Record<string, Subject>>,
): Record<string, number> {
  const bench = new Bench({
    name: 'histogram',
    time: quick ? 60 : 250,
    warmupTime: quick ? 20 : 60,
    iterations: 16,
    warmupIterations: 8,
  });
  for (const [name, fn] of Object.entries(recordTasks(values))) {
    bench.add(`record ${name}`, fn, { async: false });
  }
  const qs = [50, 90, 99, 99.9];
  for (const name of HISTOGRAMS) {
    const full = filled[name]!;
    bench.add(`percentile ${name}`, () => qs.map((q) => full.percentile(q)), { async: false });
    const into = VARIANTS[name]!();
    bench.add(`merge ${name}`, () => into.merge(full), { async: false });
  }
  bench.runSync();
  const out: Record<string, number> = {};
  for (const name of ALL) {
    out[`histogram.${name}.record`] = (medianMs(bench, `record ${name}`) * 1e6) / BATCH;
  }
  for (const name of HISTOGRAMS) {
    out[`histogram.${name}.percentile`] = (medianMs(bench, `percentile ${name}`) * 1e3) / 4;
    out[`histogram.${name}.merge`] = medianMs(bench, `merge ${name}`) * 1e3;
  }
  // The sorted array answers its first percentile after recording by sorting all N values.
  const scratch = new Float64Array(N);
  const sort = new Bench({ name: 'sort', time: 0, iterations: quick ? 1 : 3, warmup: false });
  sort.add('sort', () => scratch.sort(), { async: false, beforeEach: () => scratch.set(values) });
  sort.runSync();
  out['histogram.sortedArray.sortAll'] = medianMs(sort, 'sort');
  return out;
}

/** The histogram group: LatencyHistogram vs hdr-histogram-js vs an exact sorted array. */
export const histogramGroup: BenchGroup = {
  name: 'histogram',
  summary: 'LatencyHistogram vs hdr-histogram-js vs sorted array: cost, memory, percentile error',
  children: { 'histogram-bytes': ([name]) => bytesPer(name ?? '') },
  run: ({ quick }) => {
    const figures: Record<string, Figure> = {};
    const checks: Check[] = [];
    const one = (v: number, unit: string): Figure => figure([v], unit);
    const identical = (name: string, ok: boolean) =>
      checks.push({ name, target: 'identical', value: ok ? 1 : 0, met: ok });

    // Accuracy over every data set; the log-uniform histograms are kept for the timings.
    const logUniform = dataset('logUniform');
    const filled: Record<string, Subject> = {};
    for (const set of SETS) {
      const values = set === 'logUniform' ? logUniform : dataset(set);
      const sorted = values.slice().sort();
      const exactMean = values.reduce((a, b) => a + b, 0) / N;
      for (const name of ['ours', 'hdr2', 'hdr3'] as const) {
        const s = fill(VARIANTS[name]!(), values);
        if (set === 'logUniform') filled[name] = s;
        const a = accuracy(s, sorted, exactMean);
        figures[`histogram.${name}.maxRelError.${set}`] = one(
          100 * a.worst,
          `% (at q=${a.worstQ})`,
        );
        figures[`histogram.${name}.meanRelError.${set}`] = one(100 * a.meanError, '%');
        if (set === 'logUniformFractional') continue;
        const name2 = `${name} worst percentile error, ${set} (integer µs)`;
        checks.push({
          name: name2,
          target: '<= 1 (%)',
          value: 100 * a.worst,
          met: a.worst <= 0.01,
        });
      }
    }
    filled.hdr2packed = fill(VARIANTS.hdr2packed!(), logUniform);
    filled.hdr3packed = fill(VARIANTS.hdr3packed!(), logUniform);
    for (const d of [2, 3]) {
      const [packed, plain] = [filled[`hdr${d}packed`]!, filled[`hdr${d}`]!];
      identical(`hdr${d}packed == hdr${d} (state)`, state(packed) === state(plain));
    }
    const oursEdge = oursEdgeError();
    figures['histogram.ours.edgeMaxRelError'] = one(100 * oursEdge, '%');
    figures['histogram.hdr2.edgeMaxRelError'] = one(
      100 * hdrEdgeError({ digits: 2, bits: 64 }),
      '%',
    );
    figures['histogram.hdr3.edgeMaxRelError'] = one(
      100 * hdrEdgeError({ digits: 3, bits: 64 }),
      '%',
    );
    checks.push({
      name: 'LatencyHistogram worst percentile error (incl. bucket edges)',
      target: '<= 0.8 (%)',
      value: 100 * oursEdge,
      met: oursEdge <= 0.008,
    });

    // Determinism of merging: 4 parts recorded in reverse order, merged == the whole.
    for (const name of HISTOGRAMS) {
      identical(
        `${name}: merge of 4 parts == whole`,
        mergesIdentically(VARIANTS[name]!, logUniform),
      );
    }

    // Memory, each variant in fresh processes: 20 histograms of 10^5 values (sorted: one of N).
    for (const name of ALL) {
      const runs = Array.from({ length: quick ? 1 : 3 }, () =>
        Number(runChild('histogram-bytes', [name], ['--expose-gc'])),
      );
      figures[`histogram.${name}.bytes`] = figure(
        runs,
        name === 'sortedArray' ? `bytes (${N} values)` : 'bytes',
      );
    }

    // Timing: tinybench rounds; each figure is the median and range of the per-round medians.
    const rounds: Record<string, number[]> = {};
    for (let r = 0; r < (quick ? 3 : 5); r++) {
      for (const [key, v] of Object.entries(timingRound(quick, logUniform, filled))) {
        rounds[key] = [...(rounds[key] ?? []), v];
      }
    }
    for (const [key, samples] of Object.entries(rounds)) {
      const unit = key.endsWith('.record') ? 'ns' : key.endsWith('sortAll') ? 'ms' : 'µs';
      figures[key] = figure(samples, unit);
    }
    return { figures, checks };
  },
};
