import type { Experiment, Job } from './job.ts';
import type { Cell } from './plan.ts';
import { replicationSeed } from './replications.ts';
import { type BatchMeans, batchMeans, type SeriesMetric, windowValues } from './steady-state.ts';
import { entryComponent } from './warmup.ts';

/** Batch-means result for one cell: which series was analysed and the estimate. */
export interface SteadyStateResult {
  readonly key: string;
  readonly variant?: string;
  readonly component: string;
  readonly metric: SeriesMetric;
  /** Measured windows (after warm-up) the batches were cut from. */
  readonly windows: number;
  readonly estimate: BatchMeans;
}

/** Options for {@link steadyState}. */
export interface SteadyStateOptions {
  readonly batches?: number;
  readonly component?: string;
  readonly metric?: SeriesMetric;
}

/**
 * Steady-state estimates from ONE long run per cell (replication 0's seed, so variants share
 * random numbers): the measured windows after warm-up are cut into batches (default 20).
 */
export function* steadyState(
  cells: readonly Cell[],
  options: SteadyStateOptions = {},
): Experiment<SteadyStateResult[]> {
  const jobs: Job[] = cells.map((c, index) => ({
    index,
    scenario: c.scenario,
    seed: replicationSeed(c.scenario.seed, 0),
    series: true,
  }));
  const outputs = yield jobs;
  return cells.map((cell, k) => {
    const s = cell.scenario;
    const component = options.component ?? entryComponent(s);
    if (component === undefined) throw new RangeError('batch means: name a component');
    const metric = options.metric ?? 'latency';
    const from = Math.ceil(s.run.warmup / s.run.window);
    const to = Math.floor((s.run.warmup + s.run.duration) / s.run.window);
    const w = windowValues(outputs[k]?.series ?? [], component, metric, from, to);
    return {
      key: cell.key,
      ...(cell.variant === undefined ? {} : { variant: cell.variant }),
      component,
      metric,
      windows: w.values.length,
      estimate: batchMeans(w.values, w.weights, options.batches ?? 20),
    };
  });
}
