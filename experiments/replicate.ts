import { deriveSeed } from '../engine/index.ts';
import type { Scenario } from '../models/scenario/format.ts';
import type { Experiment, Job, JobOutput } from './job.ts';
import { estimate, metricOf } from './metrics.ts';
import type { Cell } from './plan.ts';
import { replicationSeed } from './replications.ts';
import { chooseWarmup, type WarmupChoice } from './warmup.ts';

/** How replications of cells are run. */
export interface RunCellsOptions {
  /** Replications per cell (default: the first cell's run.replications); ignored with run.precision. */
  readonly replications?: number;
  /** Replications added per cell per round under a precision target (e.g. the worker count). */
  readonly batch?: number;
  /** Common random numbers: replication i of every cell uses the same seed (default true). */
  readonly crn?: boolean;
}

/** Outcome of a precision target: replications used and whether every cell met it. */
export interface PrecisionReport {
  readonly component: string;
  readonly metric: string;
  readonly relHalfWidth: number;
  readonly replications: number;
  readonly met: boolean;
  /** Achieved half-width / |mean| per cell (null when undefined). */
  readonly achieved: readonly (number | null)[];
}

/** The replications of one cell, with the warm-up actually used. */
export interface CellRuns {
  readonly cell: Cell;
  /** Scenario actually run (auto warm-up applied). */
  readonly scenario: Scenario;
  readonly outputs: readonly JobOutput[];
  readonly warmup?: WarmupChoice;
}

/** Results of running cells: per cell runs, plus the precision outcome when a target was set. */
export interface CellsRun {
  readonly cells: readonly CellRuns[];
  readonly precision?: PrecisionReport;
}

/** Seed of replication `rep` of cell `k`: shared across cells with CRN, else distinct per cell. */
export function cellSeed(scenario: Scenario, k: number, rep: number, crn: boolean): number {
  if (crn || k === 0) return replicationSeed(scenario.seed, rep);
  return deriveSeed(scenario.seed, k * 1_000_000 + rep);
}

/** Relative 95% half-width of values (Infinity with fewer than 2, or a zero mean). */
function relHalfWidthOf(values: readonly number[]): number {
  const e = estimate(values);
  if (e.halfWidth === null) return Number.POSITIVE_INFINITY;
  if (e.halfWidth === 0) return 0;
  return e.mean === 0 ? Number.POSITIVE_INFINITY : e.halfWidth / Math.abs(e.mean);
}

function achievedAt(
  outputs: readonly JobOutput[],
  r: number,
  component: string,
  metric: string,
): number {
  const values: number[] = [];
  for (const o of outputs.slice(0, r)) {
    const v = metricOf(o.result, component, metric);
    if (v === undefined) return Number.POSITIVE_INFINITY;
    values.push(v);
  }
  return relHalfWidthOf(values);
}

/**
 * Runs every cell's replications (auto warm-up first when asked). With a
 * precision target, replications are added in rounds until, for the smallest r checked in order,
 * every cell's 95% half-width is below the target; results never depend on the round size.
 * A generator: drive it with runExperiment() or the CLI's worker pool.
 */
export function* runCells(
  cells: readonly Cell[],
  options: RunCellsOptions = {},
): Experiment<CellsRun> {
  const crn = options.crn ?? true;
  const first = cells[0];
  if (first === undefined) return { cells: [] };
  const warmups = yield* chooseWarmup(cells.map((c) => c.scenario));
  const scenarios = cells.map((c, k) => warmups[k]?.scenario ?? c.scenario);
  const outputs: JobOutput[][] = cells.map(() => []);
  const runTo = function* (r: number): Experiment<void> {
    const jobs: Job[] = [];
    const owner: number[] = [];
    scenarios.forEach((scenario, k) => {
      for (let rep = outputs[k]!.length; rep < r; rep++) {
        jobs.push({ index: jobs.length, scenario, seed: cellSeed(scenario, k, rep, crn) });
        owner.push(k);
      }
    });
    if (jobs.length === 0) return;
    const done = yield jobs;
    done.forEach((o, i) => {
      const list = outputs[owner[i]!]!;
      list.push({ ...o, index: list.length });
    });
  };
  const target = first.scenario.run.precision;
  let precision: PrecisionReport | undefined;
  if (target === undefined) {
    yield* runTo(options.replications ?? first.scenario.run.replications);
  } else {
    const { component, metric, relHalfWidth, minReplications, maxReplications } = target;
    const max = Math.max(minReplications, maxReplications);
    const step = Math.max(1, options.batch ?? 1);
    let have = 0;
    let chosen: number | undefined;
    let next = minReplications;
    while (chosen === undefined && have < max) {
      yield* runTo(next);
      for (let r = Math.max(minReplications, have + 1); r <= next && chosen === undefined; r++) {
        if (outputs.every((o) => achievedAt(o, r, component, metric) < relHalfWidth)) chosen = r;
      }
      have = next;
      next = Math.min(max, have + step);
    }
    const r = chosen ?? have;
    for (const o of outputs) o.length = r;
    const achieved = outputs.map((o) => {
      const a = achievedAt(o, r, component, metric);
      return Number.isFinite(a) ? a : null;
    });
    precision = {
      component,
      metric,
      relHalfWidth,
      replications: r,
      met: chosen !== undefined,
      achieved,
    };
  }
  const runs = cells.map((cell, k) => {
    const w = warmups[k];
    return w === undefined
      ? { cell, scenario: scenarios[k]!, outputs: outputs[k]! }
      : { cell, scenario: scenarios[k]!, outputs: outputs[k]!, warmup: w.choice };
  });
  return precision === undefined ? { cells: runs } : { cells: runs, precision };
}
