import { describe, expect, it } from 'vitest';
import { csvCell, tidyRows, toCsv } from '../../../experiments/csv.ts';
import { runExperiment } from '../../../experiments/job.ts';
import { planCells, sweepGrid, sweepValues } from '../../../experiments/plan.ts';
import { runCells } from '../../../experiments/replicate.ts';
import { summarizeCells } from '../../../experiments/summary.ts';
import { validateScenario } from '../../../models/scenario/load.ts';
import { kinds, mm1Scenario } from '../../helpers/exp-kinds.ts';
import { parse } from '../../helpers/exp-run.ts';

describe('experiment fields', () => {
  it('reports override paths that do not exist at the variant key, and an unknown baseline', () => {
    const raw = mm1Scenario(1, 2, {
      variants: { a: { 'components.server.serviceRat': '3/s' }, b: {} },
      baseline: 'c',
      sweep: { 'components.nope.rate': [1] },
    });
    const v = validateScenario(raw, kinds);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues.map((i) => i.pointer)).toEqual([
      '/baseline',
      '/sweep/components.nope.rate',
      '/variants/a/components.server.serviceRat',
    ]);
    expect(v.issues[0]!.message).toMatch(/^"c" is not a variant \(variants: a, b\)/);
  });

  it('checks that capacity from/to share a unit', () => {
    const capacity = {
      parameter: 'components.users.rate',
      from: '10/s',
      to: '5ms',
      tolerance: 1,
      objective: [{ component: 'users', metric: 'latency.p99', max: '1s' }],
    };
    const v = validateScenario(mm1Scenario(1, 2, { capacity }), kinds);
    expect(v.ok ? [] : v.issues.map((i) => i.pointer)).toEqual(['/capacity/to']);
  });

  it('reports a bad variant value at the variant with the inner pointer', () => {
    const raw = mm1Scenario(1, 2, { variants: { a: { 'components.server.serviceRate': 'fast' } } });
    const planned = planCells(raw, parse(raw), { kinds });
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.issues[0]!.pointer).toBe('/variants/a');
    expect(planned.issues[0]!.message).toMatch(
      /^\/components\/server\/serviceRate: expected a rate/,
    );
  });
});

describe('sweeps', () => {
  it('expands ranges in the unit of `from` and a full grid, first parameter slowest', () => {
    expect(sweepValues({ from: '1000/s', to: '4000/s', steps: 4 })).toEqual([
      '1000/s',
      '2000/s',
      '3000/s',
      '4000/s',
    ]);
    expect(sweepValues({ from: 1, to: 100, steps: 3, scale: 'log' })).toEqual([1, 10, 100]);
    expect(sweepValues({ from: '10ms', to: '20ms', steps: 3 })).toEqual([
      '10000us',
      '15000us',
      '20000us',
    ]);
    const grid = sweepGrid({ a: [1, 2], b: ['x', 'y', 'z'] });
    expect(grid.map((p) => `${p.a}${p.b}`)).toEqual(['1x', '1y', '1z', '2x', '2y', '2z']);
  });

  it('writes tidy rows as CSV with params, quoting and a formula guard', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(null)).toBe('');
    const raw = mm1Scenario(100, 1000, {
      sweep: { 'components.users.rate': ['100/s', '200/s'] },
      variants: { one: {}, two: { 'components.server.serviceRate': '2000/s' } },
    });
    raw.run = { duration: '1s', warmup: '0s', replications: 2, window: '100ms' };
    const scenario = parse(raw);
    const planned = planCells(raw, scenario, { kinds, sweep: true });
    if (!planned.ok) throw new Error(JSON.stringify(planned.issues));
    expect(planned.cells.map((c) => c.key)).toEqual([
      'components.users.rate=100/s | variant=one',
      'components.users.rate=100/s | variant=two',
      'components.users.rate=200/s | variant=one',
      'components.users.rate=200/s | variant=two',
    ]);
    const report = summarizeCells('s', runExperiment(runCells(planned.cells), kinds));
    const csv = toCsv(tidyRows(report));
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'components.users.rate,variant,component,metric,statistic,mean,lower,upper,n',
    );
    expect(lines.some((l) => l.startsWith('200/s,two,users,latency.mean,difference,-'))).toBe(true);
    expect(lines.some((l) => /^100\/s,one,users,latency\.p99,pooled,[0-9.e-]+,,,2$/.test(l))).toBe(
      true,
    );
    expect(lines.filter((l) => l.includes(',throughput,mean,')).length).toBe(8);
  });
});
