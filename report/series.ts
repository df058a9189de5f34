import type { ComponentSeries } from '../models/scenario/results.ts';

/** At most this many points per plotted time series; longer series are aggregated in buckets. */
export const MAX_POINTS = 600;

/**
 * A component's window series aggregated into at most `maxPoints` buckets of `per` windows:
 * counts are summed, maxima take the max, the mean latency is weighted by completions, and
 * cumulative values (replica counts) take the bucket's last value. Bucket `i` starts at t[i].
 */
export interface Buckets {
  readonly component: string;
  readonly t: readonly number[];
  /** Bucket width in seconds. */
  readonly width: number;
  readonly metrics: ReadonlySet<string>;
  /** Sum of a count metric per bucket (0 when absent). */
  sum(metric: string): number[];
  /** Max of a metric per bucket. */
  max(metric: string): number[];
  /** Completion-weighted mean latency per bucket (seconds). */
  meanLatency(): number[];
  /** The running total of a counter (e.g. replicas added and removed) at each bucket's end. */
  cumulative(metric: string): number[];
}

/** Buckets of one component series (see {@link Buckets}). */
export function bucketize(s: ComponentSeries, maxPoints = MAX_POINTS): Buckets {
  const n = Math.max(0, ...Object.values(s.metrics).map((v) => v.length));
  const per = Math.max(1, Math.ceil(n / maxPoints));
  const count = Math.ceil(n / per);
  const t = Array.from({ length: count }, (_, i) => s.start + i * per * s.window);
  const fold = (metric: string, init: number, f: (acc: number, v: number) => number) => {
    const values = s.metrics[metric] ?? [];
    const out = new Array<number>(count).fill(init);
    for (let i = 0; i < n; i++) {
      const b = Math.floor(i / per);
      out[b] = f(out[b]!, values[i] ?? 0);
    }
    return out;
  };
  return {
    component: s.component,
    t,
    width: per * s.window,
    metrics: new Set(Object.keys(s.metrics)),
    sum: (m) => fold(m, 0, (a, v) => a + v),
    max: (m) => fold(m, 0, Math.max),
    meanLatency() {
      const weighted: ComponentSeries = {
        ...s,
        metrics: {
          w: (s.metrics.latencyMean ?? []).map((v, i) => v * (s.metrics.completions?.[i] ?? 0)),
          c: s.metrics.completions ?? [],
        },
      };
      const b = bucketize(weighted, maxPoints);
      const c = b.sum('c');
      return b.sum('w').map((w, i) => (c[i]! > 0 ? w / c[i]! : Number.NaN));
    },
    cumulative(metric) {
      const values = s.metrics[metric] ?? [];
      const out = new Array<number>(count).fill(0);
      let total = 0;
      for (let i = 0; i < n; i++) {
        total += values[i] ?? 0;
        out[Math.floor(i / per)] = total;
      }
      return out;
    },
  };
}

/** Rounds for compact JSON: 4 significant digits (NaN becomes null, a gap in a line). */
export function r4(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(4)) : null;
}
