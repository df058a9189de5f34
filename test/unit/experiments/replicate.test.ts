import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../experiments/job.ts';
import { planCells } from '../../../experiments/plan.ts';
import { runCells } from '../../../experiments/replicate.ts';
import { summarizeCells } from '../../../experiments/summary.ts';
import { kinds, mm1Scenario } from '../../helpers/exp-kinds.ts';
import { parse } from '../../helpers/exp-run.ts';

function experiment(
  raw: Record<string, unknown>,
  options: { crn?: boolean; replications?: number } = {},
) {
  const scenario = parse(raw);
  const planned = planCells(raw, scenario, { kinds });
  if (!planned.ok) throw new Error(JSON.stringify(planned.issues));
  const run = runExperiment(runCells(planned.cells, options), kinds);
  return summarizeCells(scenario.name, run, options);
}

describe('replications', () => {
  it('the 95% CI of the M/M/1 mean sojourn time covers 1/(μ−λ) in 90–99% of 200 experiments', () => {
    const truth = 1 / (1000 - 500);
    let covered = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const raw = mm1Scenario(500, 1000, { seed });
      raw.run = { duration: '1s', warmup: '50ms', replications: 5, window: '100ms' };
      const e = experiment(raw).cells[0]!.metrics.users!['latency.mean']!;
      if (e.lower! <= truth && truth <= e.upper!) covered++;
    }
    // binomial(200, 0.95): a 99.9% band is about [0.90, 0.99]
    expect(covered / 200).toBeGreaterThanOrEqual(0.9);
    expect(covered / 200).toBeLessThanOrEqual(0.99);
  });

  it('pools percentiles from merged histograms next to the across-replication mean of p99', () => {
    const raw = mm1Scenario(500, 1000);
    raw.run = { duration: '5s', warmup: '100ms', replications: 4, window: '100ms' };
    const cell = experiment(raw).cells[0]!;
    const pooled = cell.pooled.users!;
    const p99 = cell.metrics.users!['latency.p99']!;
    // M/M/1 sojourn time is exponential with mean 2 ms: p99 = 2 ms · ln 100 ≈ 9.21 ms
    expect(pooled.p99).toBeGreaterThan(0.0085);
    expect(pooled.p99).toBeLessThan(0.01);
    expect(pooled.count).toBe(cell.metrics.users!['latency.count']!.mean * 4);
    expect(Math.abs(pooled.p99 - p99.mean)).toBeLessThan(0.001);
    expect(p99.n).toBe(4);
  });

  it('common random numbers give a much narrower CI on μ=1.0 vs μ=1.1 than independent streams', () => {
    const raw = mm1Scenario(0.5, 1, {
      variants: { slow: {}, fast: { 'components.server.serviceRate': '1.1/s' } },
      baseline: 'slow',
    });
    raw.run = { duration: '2000s', warmup: '100s', replications: 10, window: '10s' };
    const width = (crn: boolean) => {
      const report = experiment(raw, { crn });
      const fast = report.cells.find((c) => c.variant === 'fast')!;
      const d = fast.difference!.metrics.users!['latency.mean']!;
      expect(d.mean).toBeLessThan(0); // faster service, shorter sojourn (true value −0.333 s)
      return d.halfWidth!;
    };
    const crn = width(true);
    const independent = width(false);
    expect(crn).toBeLessThan(independent / 2);
  });

  it('stops at the precision target, reproducibly whatever the round size', () => {
    const raw = mm1Scenario(500, 1000);
    raw.run = {
      duration: '1s',
      warmup: '100ms',
      window: '100ms',
      precision: {
        component: 'users',
        metric: 'latency.mean',
        relHalfWidth: 0.05,
        maxReplications: 40,
      },
    };
    const scenario = parse(raw);
    const planned = planCells(raw, scenario, { kinds });
    if (!planned.ok) throw new Error('plan');
    const one = runExperiment(runCells(planned.cells, { batch: 1 }), kinds);
    const seven = runExperiment(runCells(planned.cells, { batch: 7 }), kinds);
    expect(one.precision!.met).toBe(true);
    expect(one.precision!.replications).toBeGreaterThan(3);
    expect(JSON.stringify(seven)).toBe(JSON.stringify(one));
    const r = one.precision!.replications;
    const e = summarizeCells('x', one).cells[0]!.metrics.users!['latency.mean']!;
    expect(e.n).toBe(r);
    expect(e.halfWidth! / e.mean).toBeLessThan(0.05);
  });

  it('chooses the warm-up by MSER-5 on a pilot run and reports it', () => {
    // 2000 jobs at time 0 drain at μ − λ = 500/s: a transient of about 4 s
    const raw = mm1Scenario(500, 1000);
    (raw.components as any).users.initial = 2000;
    raw.run = { duration: '20s', warmup: '2s', replications: 2, window: '100ms', autoWarmup: true };
    const cell = experiment(raw).cells[0]!;
    const w = cell.warmup!;
    expect(w.method).toBe('mser-5');
    expect(w.component).toBe('users');
    expect(w.windows).toBe(220);
    expect(w.truncationWindows).toBeGreaterThanOrEqual(30);
    expect(w.truncationWindows).toBeLessThanOrEqual(80);
    expect(cell.metrics.users!['latency.mean']!.mean).toBeLessThan(0.004);
    expect(w.warmup).toBeCloseTo(w.truncationWindows * 0.1, 9);
  });
});
