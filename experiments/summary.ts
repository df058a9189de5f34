import type { LatencySummary } from '../models/scenario/results.ts';
import { differenceEstimate } from './interval.ts';
import {
  type Estimate,
  estimateAll,
  type MetricEstimates,
  metricNames,
  metricOf,
  pooledLatency,
} from './metrics.ts';
import type { CellRuns, CellsRun, PrecisionReport } from './replicate.ts';
import type { WarmupChoice } from './warmup.ts';

/** Version tag of the experiment results JSON. */
export const EXPERIMENT_FORMAT = 'stacksim.experiment/1';

/** One cell's summary: estimates per metric, pooled percentiles, and (for a variant) the paired difference. */
export interface CellSummary {
  readonly index: number;
  readonly key: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly variant?: string;
  readonly replications: number;
  readonly seeds: readonly number[];
  readonly warmup?: WarmupChoice;
  /** Across-replication mean and 95% CI of every metric (latency.p99 = mean of per-run p99s). */
  readonly metrics: MetricEstimates;
  /** Percentiles of all replications' requests together (merged histograms), per component. */
  readonly pooled: Readonly<Record<string, LatencySummary>>;
  /** variant − baseline, paired by replication index (same seeds under CRN). */
  readonly difference?: { readonly baseline: string; readonly metrics: MetricEstimates };
}

/** Everything an experiment reports. */
export interface ExperimentReport {
  readonly format: string;
  readonly scenario: string;
  readonly crn: boolean;
  readonly baseline?: string;
  readonly precision?: PrecisionReport;
  readonly cells: readonly CellSummary[];
}

/**
 * Paired differences a − b per (component, metric), pairing replication i with i; pairs where
 * either side lacks the metric are skipped.
 */
export function pairedDifferences(a: CellRuns, b: CellRuns): MetricEstimates {
  const ra = a.outputs.map((o) => o.result);
  const rb = b.outputs.map((o) => o.result);
  const out: MetricEstimates = {};
  for (const [id, names] of metricNames([...ra, ...rb])) {
    const metrics: Record<string, Estimate> = {};
    for (const name of names) {
      const d: number[] = [];
      let side = 0;
      for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
        const x = metricOf(ra[i]!, id, name);
        const y = metricOf(rb[i]!, id, name);
        if (x !== undefined && y !== undefined) {
          d.push(x - y);
          side = Math.max(side, x, y);
        }
      }
      if (d.length > 0) metrics[name] = differenceEstimate(d, name, side);
    }
    out[id] = metrics;
  }
  return out;
}

const sameParams = (a: CellRuns, b: CellRuns) =>
  JSON.stringify(a.cell.params) === JSON.stringify(b.cell.params);

/** Summarises run cells; variants at the same sweep point are compared with the baseline variant. */
export function summarizeCells(
  scenarioName: string,
  run: CellsRun,
  options: { readonly baseline?: string; readonly crn?: boolean } = {},
): ExperimentReport {
  const firstVariant = run.cells.find((c) => c.cell.variant !== undefined)?.cell.variant;
  const baseline = options.baseline ?? firstVariant;
  const cells = run.cells.map((c): CellSummary => {
    const results = c.outputs.map((o) => o.result);
    const base =
      c.cell.variant === undefined || c.cell.variant === baseline
        ? undefined
        : run.cells.find((b) => b.cell.variant === baseline && sameParams(b, c));
    return {
      index: c.cell.index,
      key: c.cell.key,
      params: c.cell.params,
      ...(c.cell.variant === undefined ? {} : { variant: c.cell.variant }),
      replications: c.outputs.length,
      seeds: results.map((r) => r.seed),
      ...(c.warmup === undefined ? {} : { warmup: c.warmup }),
      metrics: estimateAll(results),
      pooled: pooledLatency(c.outputs),
      ...(base === undefined || baseline === undefined
        ? {}
        : { difference: { baseline, metrics: pairedDifferences(c, base) } }),
    };
  });
  return {
    format: EXPERIMENT_FORMAT,
    scenario: scenarioName,
    crn: options.crn ?? true,
    ...(baseline === undefined ? {} : { baseline }),
    ...(run.precision === undefined ? {} : { precision: run.precision }),
    cells,
  };
}
