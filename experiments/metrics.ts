import { LatencyHistogram, studentTQuantile, Welford } from '../engine/index.ts';
import type { RunResult } from '../models/scenario/build.ts';
import {
  type ComponentResult,
  type LatencySummary,
  summarizeLatency,
} from '../models/scenario/results.ts';
import { type IntervalMethod, metricEstimate } from './interval.ts';
import type { JobOutput } from './job.ts';
import { flattenMetrics } from './replications.ts';

/** A metric over replications: mean and Student-t 95% interval (bounds null when n < 2). */
export interface Estimate {
  readonly mean: number;
  readonly halfWidth: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly n: number;
  /** How the interval was made (estimateAll, paired differences): t, log or logit (experiments/interval.ts). */
  readonly method?: IntervalMethod;
  /** A percentile's histogram resolution (the interval is at least this wide). */
  readonly resolution?: number;
}

const T975 = new Map<number, number>();

/** t_{0.975, df}, cached (the bisection behind it is slow and experiments ask for few df). */
export function t975(df: number): number {
  let q = T975.get(df);
  if (q === undefined) {
    q = studentTQuantile(0.975, df);
    T975.set(df, q);
  }
  return q;
}

/** The Student-t 95% estimate of the mean of `values` (n >= 1), as confidenceInterval computes it. */
export function estimate(values: readonly number[]): Estimate {
  const w = new Welford();
  for (const v of values) w.add(v);
  const n = w.count;
  if (n < 2) return { mean: w.mean, halfWidth: null, lower: null, upper: null, n };
  const sd = w.stddev;
  const halfWidth = sd === 0 ? 0 : (t975(n - 1) * sd) / Math.sqrt(n);
  return { mean: w.mean, halfWidth, lower: w.mean - halfWidth, upper: w.mean + halfWidth, n };
}

/**
 * A component's metrics as flat name → value pairs: those of flattenMetrics plus `errorRatio`,
 * (5xx completions + counters.timeouts) / completions, the error rate used by capacity objectives.
 */
export function componentMetrics(c: ComponentResult): Map<string, number> {
  const m = new Map(flattenMetrics(c));
  let errors = c.counters.timeouts ?? 0;
  for (const [code, n] of Object.entries(c.byStatus)) if (Number(code) >= 500) errors += n;
  if (c.completions > 0) m.set('errorRatio', errors / c.completions);
  return m;
}

/**
 * The value of `metric` of `component` in one run: status and counter metrics absent from a run
 * are 0 there; other absent metrics (a ratio with nothing to divide) are undefined.
 */
export function metricOf(run: RunResult, component: string, metric: string): number | undefined {
  const c = run.components[component];
  const v = c === undefined ? undefined : componentMetrics(c).get(metric);
  if (v !== undefined) return v;
  return metric.startsWith('status.') || metric.startsWith('counters.') ? 0 : undefined;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every (component, metric) pair seen in any run: components sorted, metrics in first-seen order. */
export function metricNames(runs: readonly RunResult[]): [string, string[]][] {
  const ids = [...new Set(runs.flatMap((r) => Object.keys(r.components)))].sort(byCodeUnit);
  return ids.map((id) => {
    const names: string[] = [];
    for (const r of runs) {
      const c = r.components[id];
      if (c === undefined) continue;
      for (const name of componentMetrics(c).keys()) if (!names.includes(name)) names.push(name);
    }
    return [id, names];
  });
}

/** Per component, the latency percentiles of all replications' requests pooled (merged histograms). */
export function pooledLatency(outputs: readonly JobOutput[]): Record<string, LatencySummary> {
  const merged = new Map<string, LatencyHistogram>();
  for (const o of outputs) {
    for (const [id, json] of Object.entries(o.histograms)) {
      const h = merged.get(id) ?? new LatencyHistogram();
      h.merge(LatencyHistogram.fromJSON(json));
      merged.set(id, h);
    }
  }
  const out: Record<string, LatencySummary> = {};
  for (const id of [...merged.keys()].sort(byCodeUnit)) out[id] = summarizeLatency(merged.get(id)!);
  return out;
}

/** One metric's summary: the across-replication estimate, per component and metric name. */
export type MetricEstimates = Record<string, Record<string, Estimate>>;

/**
 * Estimates of every metric over the runs (a metric absent from some runs uses the rest), with
 * intervals inside the metric's bounds and at least a percentile's resolution (interval.ts).
 */
export function estimateAll(runs: readonly RunResult[]): MetricEstimates {
  const out: MetricEstimates = {};
  for (const [id, names] of metricNames(runs)) {
    const metrics: Record<string, Estimate> = {};
    for (const name of names) {
      const values = runs
        .map((r) => metricOf(r, id, name))
        .filter((v): v is number => v !== undefined);
      if (values.length > 0) metrics[name] = metricEstimate(values, name);
    }
    out[id] = metrics;
  }
  return out;
}
