// Parallel speed-up of experiments: 16 replications of scenarios/checkout.json (10 s simulated
// each, the registry's real kinds) on this thread, on 1 worker and on 2 workers.
// Run: npm run bench -- --only experiments
import { readFileSync } from 'node:fs';
import { drive, WorkerPool } from '../cli/pool.ts';
import { runExperiment } from '../experiments/job.ts';
import { planCells } from '../experiments/plan.ts';
import { runCells } from '../experiments/replicate.ts';
import { COMPONENT_KINDS as kinds } from '../models/registry.ts';
import { validateScenario } from '../models/scenario/load.ts';
import {
  type BenchGroup,
  byName,
  type NamedFigure,
  namedFigure,
  type RunOptions,
  runChildAsync,
} from './measure.ts';

/** One benchmark figure (same shape as the other benches). */
export type BenchFigure = NamedFigure;

/** The 16-replication checkout experiment (10 s measured after 2 s warm-up each). */
function checkoutCells(replications = 16) {
  const raw = JSON.parse(readFileSync('scenarios/checkout.json', 'utf8'));
  raw.run = { duration: '10s', warmup: '2s', replications, window: '1s' };
  const v = validateScenario(raw, kinds);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  const planned = planCells(raw, v.scenario, { kinds });
  if (!planned.ok) throw new Error('plan failed');
  return planned.cells;
}

/** Child process: runs half the experiment (8 replications) on its main thread; prints ms. */
function halfChild(): number {
  const cells = checkoutCells(8);
  runExperiment(runCells(cells, { replications: 2 }), kinds); // warm-up
  const t0 = performance.now();
  runExperiment(runCells(cells), kinds);
  return performance.now() - t0;
}

/**
 * What this machine allows, measured once per round: half the experiment in one process alone,
 * then in two processes side by side (nothing shared but the hardware). 2 × alone / side by
 * side is the speed-up two fully independent runs get: the ceiling for any parallel runner here.
 */
export async function machineCeiling(): Promise<number> {
  const alone = (await runChildAsync('experiments-half', [])) as number;
  const both = (await Promise.all([
    runChildAsync('experiments-half', []),
    runChildAsync('experiments-half', []),
  ])) as number[];
  return (2 * alone) / Math.max(...both);
}

/**
 * Measures 16 checkout replications on this thread, then rounds of: 1 worker, 2 workers, the
 * machine's ceiling. Both pools are started and warmed first; the rounds interleave, so a slow
 * spell of the host lands on both sides of a pair, and each round gives one speed-up.
 */
export async function experimentsBench(runs = 5): Promise<BenchFigure[]> {
  const cells = checkoutCells();
  const inProcess: number[] = [];
  for (let r = 0; r < Math.min(runs, 3); r++) {
    const t0 = performance.now();
    runExperiment(runCells(cells), kinds);
    inProcess.push(performance.now() - t0);
  }
  const pools = [new WorkerPool(1), new WorkerPool(2)] as const;
  try {
    for (const pool of pools) await drive(runCells(cells, { replications: 4 }), pool.run); // warm-up
    const timed = async (pool: WorkerPool): Promise<number> => {
      const t0 = performance.now();
      await drive(runCells(cells), pool.run);
      return performance.now() - t0;
    };
    const one: number[] = [];
    const two: number[] = [];
    const ceiling: number[] = [];
    for (let r = 0; r < runs; r++) {
      one.push(await timed(pools[0]));
      two.push(await timed(pools[1]));
      ceiling.push(await machineCeiling());
    }
    const speedup = one.map((t, i) => t / two[i]!);
    return [
      namedFigure('experiments: 16 replications, this thread', 'ms', inProcess),
      namedFigure('experiments: 16 replications, 1 worker', 'ms', one),
      namedFigure('experiments: 16 replications, 2 workers', 'ms', two),
      namedFigure('experiments: speed-up 2 workers vs 1', 'x', speedup),
      namedFigure('experiments: ceiling, 2 independent processes vs 1', 'x', ceiling),
      namedFigure(
        'experiments: speed-up / ceiling',
        'ratio',
        speedup.map((x, i) => x / ceiling[i]!),
      ),
    ];
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
}

/** The experiments group: replications on this thread and on 1 and 2 worker threads. */
export const experimentsGroup: BenchGroup = {
  name: 'experiments',
  summary:
    '16 replications of checkout.json (10 s each) on this thread, on 1 and on 2 worker threads',
  children: { 'experiments-half': () => halfChild() },
  run: async (options: RunOptions) => {
    const figures = byName(await experimentsBench(options.quick ? 1 : 5));
    const speedup = figures['experiments: speed-up 2 workers vs 1']!.median;
    const checks = [
      {
        name: 'experiments: 2 workers vs 1 on 2 cores (median)',
        target: '>= 1.8',
        value: speedup,
        met: speedup >= 1.8,
      },
    ];
    return { figures, checks };
  },
};
