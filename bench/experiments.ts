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
} from './measure.ts';

/** One benchmark figure (same shape as the other benches). */
export type BenchFigure = NamedFigure;

/** Measures 16 checkout replications on this thread, on 1 and on 2 workers, and the 2-vs-1 speed-up. */
export async function experimentsBench(runs = 3): Promise<BenchFigure[]> {
  const raw = JSON.parse(readFileSync('scenarios/checkout.json', 'utf8'));
  raw.run = { duration: '10s', warmup: '2s', replications: 16, window: '1s' };
  const v = validateScenario(raw, kinds);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  const planned = planCells(raw, v.scenario, { kinds });
  if (!planned.ok) throw new Error('plan failed');
  const cells = planned.cells;
  const inProcess: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    runExperiment(runCells(cells), kinds);
    inProcess.push(performance.now() - t0);
  }
  const timed = async (workers: number) => {
    const pool = new WorkerPool(workers);
    try {
      await drive(runCells(cells, { replications: workers }), pool.run); // warm the workers up
      const xs: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        await drive(runCells(cells), pool.run);
        xs.push(performance.now() - t0);
      }
      return xs;
    } finally {
      await pool.close();
    }
  };
  const one = await timed(1);
  const two = await timed(2);
  const speedup = one.map((t, i) => t / two[i]!);
  return [
    namedFigure('experiments: 16 replications, this thread', 'ms', inProcess),
    namedFigure('experiments: 16 replications, 1 worker', 'ms', one),
    namedFigure('experiments: 16 replications, 2 workers', 'ms', two),
    namedFigure('experiments: speed-up 2 workers vs 1', 'x', speedup),
  ];
}

/** The experiments group: replications on this thread and on 1 and 2 worker threads. */
export const experimentsGroup: BenchGroup = {
  name: 'experiments',
  summary:
    '16 replications of checkout.json (10 s each) on this thread, on 1 and on 2 worker threads',
  run: async (options: RunOptions) => {
    const figures = byName(await experimentsBench(options.quick ? 1 : 3));
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
