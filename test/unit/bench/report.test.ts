import { describe, expect, it } from 'vitest';
import { CURVE_FIGURES } from '../../../bench/cache-curve.ts';
import { CLI_RUNS, cliFigureName } from '../../../bench/cache-curve-cli.ts';
import type { Figure } from '../../../bench/measure.ts';
import { type BenchReport, cacheCurveSection, performancePage } from '../../../bench/report.ts';

const fig = (median: number): Figure => ({
  median,
  min: median / 2,
  max: median * 2,
  runs: 5,
  unit: 'req/s',
});

function report(withCurve: boolean): BenchReport {
  const figures: Record<string, Figure> = { 'mm1.engine': fig(1) };
  if (withCurve) {
    for (const [name, wall, cpu] of [
      [CURVE_FIGURES.reference, 0.5e6, 4.25e6],
      [CURVE_FIGURES.policy('lru'), 0.9e6, 6.5e6],
      [CURVE_FIGURES.onePass, 0.12e6, 1.3e6],
      [CURVE_FIGURES.csv, 0.9e6, 12e6],
    ] as const) {
      figures[name] = fig(wall);
      figures[`${name} [per CPU s]`] = fig(cpu);
    }
    figures[`${CURVE_FIGURES.csv} [first run, per CPU s]`] = fig(5e6);
    const label = Object.keys(CLI_RUNS)[0]!;
    figures[cliFigureName(label, 'cpu')] = { ...fig(600), unit: 'ms CPU' };
    figures[cliFigureName(label, 'empty')] = { ...fig(400), unit: 'ms CPU' };
    figures[cliFigureName(label, 'rate')] = fig(5e6);
  }
  return {
    node: 'v20',
    cpu: { model: 'test', count: 2 },
    loadAverage: 20.04,
    date: '2026-12-03T00:00:00Z',
    groups: withCurve ? ['cache-curve'] : ['mm1'],
    figures,
    checks: withCurve
      ? [
          { name: 'lru at 1% (per CPU s)', target: '>= 5 000 000 req/s', value: 6.5e6, met: true },
          {
            name: 'one-pass LRU, all sizes (per CPU s)',
            target: '>= 2 000 000 req/s',
            value: 1.3e6,
            met: false,
          },
          {
            name: 'CSV reading (per CPU s)',
            target: '>= 10 000 000 lines/s',
            value: 12e6,
            met: true,
          },
        ]
      : [],
  };
}

describe('the cache-curve section of docs/performance.md', () => {
  it('is written from the bench figures: wall and CPU rates side by side, verdicts, load', () => {
    const s = cacheCurveSection(report(true));
    expect(s).toContain('| lru | 0.90 M (0.45 M – 1.80 M) | 6.50 M (3.25 M – 13.00 M) | – |');
    // the first pass of a fresh process, apart from the passes after it
    expect(s).toContain('| 12.00 M (6.00 M – 24.00 M) | 5.00 M (2.50 M – 10.00 M) |');
    // a user's whole process on the trace as a file, against the same command on one line
    expect(s).toContain(
      `| ${Object.keys(CLI_RUNS)[0]} | 600 (300 – 1200) | 400 (200 – 800) | 5.00 M`,
    );
    expect(s).toContain('| reference: Map get/set loop | 0.50 M (0.25 M – 1.00 M) | 4.25 M');
    expect(s).toContain(
      'one-pass LRU, all sizes (per CPU s): 1.30 M, target >= 2 000 000 req/s — **not met**',
    );
    expect(s).toContain('CSV reading (per CPU s): 12.00 M, target >= 10 000 000 lines/s — met');
    expect(s).toContain('20.0 on 2 CPUs');
    // 100 sizes in one pass at 1.3 M/s vs 100 LRU runs at 6.5 M/s each
    expect(s).toContain('20× the rate of 100 per-size LRU runs');
    // policies the run did not measure are left out, not shown as zero
    expect(s).not.toContain('| arc |');
  });

  it('is part of the generated page, before "Adding a benchmark group"; absent without the group', () => {
    const page = performancePage(report(true));
    expect(page.indexOf('## cache-curve')).toBeGreaterThan(page.indexOf('## Figures'));
    expect(page.indexOf('## cache-curve')).toBeLessThan(
      page.indexOf('## Adding a benchmark group'),
    );
    expect(cacheCurveSection(report(false))).toBe('');
    expect(performancePage(report(false))).not.toContain('## cache-curve');
  });
});
