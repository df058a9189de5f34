// Micro-measurement behind docs/histogram.md: record() cost and percentile error of the
// log-linear LatencyHistogram against two alternatives (a geometric log-bucket histogram and an
// exact sorted array). Run: npx esbuild bench/histogram.ts --bundle --platform=node
//   --format=esm --outfile=dist/bench-histogram.mjs && node dist/bench-histogram.mjs
import { createStream, LatencyHistogram, nearestRank } from '../engine/index.ts';
import { type BenchGroup, type Figure, figure } from './measure.ts';

/** Geometric buckets of ratio 1.02 (reported at the geometric midpoint: error <= 1%). */
class LogBucketHistogram {
  readonly counts = new Float64Array(1200);
  count = 0;
  static readonly LN = Math.log(1.02);
  record(v: number): void {
    const i = v < 1 ? 0 : 1 + Math.floor(Math.log(v) / LogBucketHistogram.LN);
    this.counts[Math.min(i, 1199)]! += 1;
    this.count += 1;
  }
  percentile(q: number): number {
    const rank = nearestRank(q, this.count);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i === 0 ? 0 : 1.02 ** (i - 1 + 0.5);
    }
    return 0;
  }
}

const HOUR = 3.6e9;
const N = 2_000_000;

/** ns per record() over `rounds` fresh histograms, one sample per round. */
function recordSamples(
  values: Float64Array,
  make: () => { record(v: number): void },
  rounds: number,
): number[] {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const h = make();
    const t0 = performance.now();
    for (let i = 0; i < N; i++) h.record(values[i]!);
    out.push(((performance.now() - t0) * 1e6) / N);
  }
  return out;
}

const qs = [1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99];
function maxError(h: { percentile(q: number): number }, sorted: Float64Array): number {
  let worst = 0;
  for (const q of qs) {
    const exact = sorted[nearestRank(q, sorted.length) - 1]!;
    worst = Math.max(worst, Math.abs(h.percentile(q) - exact) / exact);
  }
  return worst;
}

/** The measurements behind docs/histogram.md: record() cost (best of 5) and percentile error. */
export function histogramBench() {
  const rng = createStream(1, 'bench', 'histogram');
  const values = new Float64Array(N);
  for (let i = 0; i < N; i++) values[i] = Math.exp(rng.next() * Math.log(HOUR)); // 1 µs .. 1 h
  const logLinearNs = recordSamples(values, () => new LatencyHistogram(), 5);
  const logBucketNs = recordSamples(values, () => new LogBucketHistogram(), 5);
  const ll = new LatencyHistogram();
  const lb = new LogBucketHistogram();
  for (const v of values) {
    ll.record(v);
    lb.record(v);
  }
  const sorted = values.slice().sort();
  const arrayNs = (() => {
    const t0 = performance.now();
    const a: number[] = [];
    for (let i = 0; i < N; i++) a.push(values[i]!);
    a.sort((x, y) => x - y);
    return ((performance.now() - t0) * 1e6) / N;
  })();

  // Adversarial: the middle of three values sits at a bucket's lower edge (or just below the next).
  let edgeError = 0;
  for (let e = 0; e < 32; e++) {
    for (let s = 0; s < 64; s++) {
      for (const v of [2 ** e * (1 + s / 64), 2 ** e * (1 + (s + 1) / 64) * (1 - 1e-12)]) {
        const h = new LatencyHistogram();
        for (const x of [0.5, v, 2 ** 33]) h.record(x);
        edgeError = Math.max(edgeError, Math.abs(h.percentile(50) - v) / v);
      }
    }
  }

  return {
    n: N,
    edgeMaxRelError: edgeError,
    logLinear: {
      recordNs: Math.min(...logLinearNs),
      recordNsSamples: logLinearNs,
      maxRelError: maxError(ll, sorted),
      bytes: 2050 * 8,
    },
    logBucket: {
      recordNs: Math.min(...logBucketNs),
      recordNsSamples: logBucketNs,
      maxRelError: maxError(lb, sorted),
      bytes: 1200 * 8,
    },
    sortedArray: { recordAndSortNs: arrayNs, maxRelError: 0, bytes: N * 8 },
  };
}

/** The histogram group: record() cost and worst percentile error of three histogram designs. */
export const histogramGroup: BenchGroup = {
  name: 'histogram',
  summary: 'LatencyHistogram record() cost and percentile error vs log buckets and a sorted array',
  run: () => {
    const h = histogramBench();
    const one = (v: number, unit: string): Figure => figure([v], unit);
    return {
      figures: {
        'histogram.logLinear.record': figure(h.logLinear.recordNsSamples, 'ns'),
        'histogram.logBucket.record': figure(h.logBucket.recordNsSamples, 'ns'),
        'histogram.sortedArray.recordAndSort': one(h.sortedArray.recordAndSortNs, 'ns'),
        'histogram.logLinear.maxRelError': one(h.logLinear.maxRelError, 'ratio'),
        'histogram.logBucket.maxRelError': one(h.logBucket.maxRelError, 'ratio'),
        'histogram.edgeMaxRelError': one(h.edgeMaxRelError, 'ratio'),
      },
      checks: [
        {
          name: 'LatencyHistogram worst percentile error (incl. bucket edges)',
          target: '<= 0.8%',
          value: Math.max(h.logLinear.maxRelError, h.edgeMaxRelError),
          met: Math.max(h.logLinear.maxRelError, h.edgeMaxRelError) <= 0.008,
        },
      ],
    };
  },
};

if (/bench-histogram\.m?js$/.test(process.argv[1] ?? '')) {
  console.log(JSON.stringify(histogramBench(), null, 2));
}
