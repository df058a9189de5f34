import { LatencyHistogram, type LatencyHistogramJson } from '../engine/index.ts';
import type { ComponentKind } from '../models/core/component.ts';
import { groupByComponent, type RunResult, ScenarioRun } from '../models/scenario/build.ts';
import type { Scenario } from '../models/scenario/format.ts';
import type { ComponentSeries } from '../models/scenario/results.ts';

/**
 * One unit of work: one replication of one validated scenario (variant overrides and sweep
 * values already applied) with one seed. Jobs are plain data, so they can be posted to a worker;
 * the same job gives the same output on any thread.
 */
export interface Job {
  /** Position in the batch; outputs are ordered by it. */
  readonly index: number;
  readonly scenario: Scenario;
  readonly seed: number;
  /** Also return the per-window series (for MSER-5 warm-up and batch means). */
  readonly series?: boolean;
}

/** What a job returns: the run's results plus each component's latency histogram (µs, serialised). */
export interface JobOutput {
  readonly index: number;
  readonly result: RunResult;
  /** Per component id, its replicas merged, for pooled percentiles across replications. */
  readonly histograms: Readonly<Record<string, LatencyHistogramJson>>;
  readonly series?: readonly ComponentSeries[];
}

/**
 * An experiment as a generator: it yields batches of jobs and is resumed with their outputs in
 * job-index order, until it returns its result. The library stays synchronous and free of I/O;
 * a driver runs the batches on this thread ({@link runExperiment}) or on worker threads (cli/).
 */
export type Experiment<T> = Generator<readonly Job[], T, readonly JobOutput[]>;

/** Runs one job on this thread. */
export function runJob(job: Job, kinds?: readonly ComponentKind[]): JobOutput {
  const run = new ScenarioRun(job.scenario, {
    seed: job.seed,
    ...(kinds === undefined ? {} : { kinds }),
  });
  const result = run.finish();
  const histograms: Record<string, LatencyHistogramJson> = {};
  for (const [id, probes] of groupByComponent(run.built.probes)) {
    const h = new LatencyHistogram();
    for (const p of probes) h.merge(p.latency);
    histograms[id] = h.toJSON();
  }
  return job.series === true
    ? { index: job.index, result, histograms, series: run.series() }
    : { index: job.index, result, histograms };
}

/** Drives an experiment on this thread, jobs one after another (the reference for parallel runs). */
export function runExperiment<T>(experiment: Experiment<T>, kinds?: readonly ComponentKind[]): T {
  let step = experiment.next();
  while (step.done !== true) step = experiment.next(step.value.map((j) => runJob(j, kinds)));
  return step.value;
}
