import { deriveSeed } from '../engine/index.ts';
import { type RunResult, type RunScenarioOptions, ScenarioRun } from '../models/scenario/build.ts';
import type { Scenario } from '../models/scenario/format.ts';
import type { ComponentResult } from '../models/scenario/results.ts';
import { type Headline, resolveHeadlines } from './headline.ts';
import { type BoundedEstimate, metricEstimate } from './interval.ts';

/** Version tag of the results JSON (docs/results.md); bumped only on breaking changes. */
export const RESULTS_FORMAT = 'stacksim.results/1';

/**
 * One metric over replications: mean, 95% interval inside the metric's bounds (null with one
 * value; `method` says how it was made, `resolution` is a percentile's bucket width) and values.
 */
export interface MetricSummary extends BoundedEstimate {
  readonly values: readonly number[];
}

/** The results of all replications of one scenario (the results contract, minus `wall`). */
export interface ReplicationResults {
  readonly format: string;
  readonly scenario: string;
  readonly seed: number;
  readonly replications: number;
  /** Configured measured time and warm-up, in seconds. */
  readonly duration: number;
  readonly warmup: number;
  /** False when any replication was cut short by a budget (then `partial` is true). */
  readonly completed: boolean;
  readonly partial: boolean;
  /** Why the first replication that did not complete stopped, else that of the last one. */
  readonly stoppedBy: RunResult['stoppedBy'];
  readonly events: number;
  /** The scenario's report.headline figures, resolved (empty when it names none). */
  readonly headline: readonly Headline[];
  /** Per component id, per metric name (see docs/results.md). */
  readonly summary: Readonly<Record<string, Readonly<Record<string, MetricSummary>>>>;
  readonly runs: readonly RunResult[];
}

/** The seed of replication `index` (0-based): the base seed for 0, then derived seeds. */
export function replicationSeed(baseSeed: number, index: number): number {
  return deriveSeed(baseSeed, index);
}

/** A component result as flat metric → value pairs ('latency.p99', 'status.429', …). */
export function flattenMetrics(c: ComponentResult): [string, number][] {
  const out: [string, number][] = [
    ['arrivals', c.arrivals],
    ['completions', c.completions],
    ['throughput', c.throughput],
    ['utilisation', c.utilisation],
  ];
  for (const [k, v] of Object.entries(c.latency)) out.push([`latency.${k}`, v]);
  out.push(['queue.mean', c.queue.mean], ['queue.max', c.queue.max]);
  out.push(['inSystem.mean', c.inSystem.mean], ['inSystem.max', c.inSystem.max]);
  for (const [k, v] of Object.entries(c.byStatus)) out.push([`status.${k}`, v]);
  for (const [k, v] of Object.entries(c.counters)) out.push([`counters.${k}`, v]);
  for (const [k, v] of Object.entries(c.ratios)) out.push([`ratios.${k}`, v]);
  c.recovery?.forEach((r, i) => {
    if (r.seconds !== null) out.push([`recovery.${i}.seconds`, r.seconds]);
    out.push([`recovery.${i}.recovered`, r.recovered]);
    out.push([`recovery.${i}.endedGood`, r.endedGood]);
  });
  return out;
}

function summarize(name: string, values: number[]): MetricSummary {
  const { method, resolution, ...e } = metricEstimate(values, name);
  return { ...e, method, ...(resolution === undefined ? {} : { resolution }), values };
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Per-metric summaries over replications. Status and counter metrics missing from a run count
 * as 0 there; a ratio missing from a run (nothing to divide) is left out of that metric.
 */
export function summarizeRuns(runs: readonly RunResult[]): ReplicationResults['summary'] {
  const ids = [...new Set(runs.flatMap((r) => Object.keys(r.components)))].sort(byCodeUnit);
  const summary: Record<string, Record<string, MetricSummary>> = {};
  for (const id of ids) {
    const perRun = runs.map((r) => {
      const c = r.components[id];
      return new Map(c === undefined ? [] : flattenMetrics(c));
    });
    const names: string[] = [];
    for (const m of perRun)
      for (const name of m.keys()) if (!names.includes(name)) names.push(name);
    const metrics: Record<string, MetricSummary> = {};
    for (const name of names) {
      const zeroIfMissing = name.startsWith('status.') || name.startsWith('counters.');
      const values: number[] = [];
      for (const m of perRun) {
        const v = m.get(name);
        if (v !== undefined) values.push(v);
        else if (zeroIfMissing) values.push(0);
      }
      if (values.length > 0) metrics[name] = summarize(name, values);
    }
    summary[id] = metrics;
  }
  return summary;
}

/** Assembles the results of finished replications. */
export function combineRuns(scenario: Scenario, runs: readonly RunResult[]): ReplicationResults {
  const incomplete = runs.find((r) => !r.completed);
  return {
    format: RESULTS_FORMAT,
    scenario: scenario.name,
    seed: scenario.seed,
    replications: runs.length,
    duration: scenario.run.duration / 1e6,
    warmup: scenario.run.warmup / 1e6,
    completed: incomplete === undefined,
    partial: incomplete !== undefined,
    stoppedBy: (incomplete ?? runs[runs.length - 1])?.stoppedBy ?? 'until',
    events: runs.reduce((sum, r) => sum + r.events, 0),
    headline: resolveHeadlines(scenario.report?.headline, runs),
    summary: summarizeRuns(runs),
    runs,
  };
}

/** Starts replication `index` of a scenario (seed derived from the scenario's seed). */
export function startReplication(
  scenario: Scenario,
  index: number,
  options: Omit<RunScenarioOptions, 'seed'> = {},
): ScenarioRun {
  return new ScenarioRun(scenario, { ...options, seed: replicationSeed(scenario.seed, index) });
}

/**
 * Runs `replications` (default: scenario.run.replications) replications one after another and
 * combines them. Stops early when a budget cuts one short (its results are marked partial).
 */
export function runReplications(
  scenario: Scenario,
  options: Omit<RunScenarioOptions, 'seed'> & { readonly replications?: number } = {},
): ReplicationResults {
  const count = options.replications ?? scenario.run.replications;
  const runs: RunResult[] = [];
  for (let i = 0; i < count; i++) {
    const result = startReplication(scenario, i, options).finish();
    runs.push(result);
    if (!result.completed) break;
  }
  return combineRuns(scenario, runs);
}
