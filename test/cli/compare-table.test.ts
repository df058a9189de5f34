import { describe, expect, it } from 'vitest';
import { COMPARE_WIDTH, compareTable, scaleOf } from '../../cli/compare-table.ts';
import type { Estimate } from '../../experiments/metrics.ts';
import type { CellSummary, ExperimentReport } from '../../experiments/summary.ts';

const est = (mean: number, half = mean / 10): Estimate => ({
  mean,
  halfWidth: half,
  lower: mean - half,
  upper: mean + half,
  n: 5,
});

/** A report with `n` variants with long names, three components and four metrics. */
function report(n: number, prefix = 'a-rather-long-variant-name-number-'): ExperimentReport {
  const metrics = () => ({
    'latency.p99': { ...est(0.1234567), resolution: 0.000512 },
    'latency.mean': est(0.0456789),
    throughput: est(1712.34),
    errorRatio: est(0.001234, 0.0002),
  });
  const cells: CellSummary[] = Array.from({ length: n }, (_, i) => ({
    index: i,
    key: `v${i}`,
    params: {},
    variant: `${prefix}${i}`,
    replications: 5,
    seeds: [1, 2, 3, 4, 5],
    metrics: { users: metrics(), lb: metrics(), 'app-servers-in-region-eu': metrics() },
    pooled: {},
    ...(i === 0
      ? {}
      : {
          difference: {
            baseline: `${prefix}0`,
            metrics: { users: { 'latency.p99': est(-0.0123456, 0.0045678) } },
          },
        }),
  }));
  return {
    format: 'stacksim.experiment/1',
    scenario: 's',
    crn: true,
    baseline: `${prefix}0`,
    cells,
  };
}

describe('compare tables', () => {
  const metrics = ['latency.p99', 'latency.mean', 'throughput', 'errorRatio'];

  it(`fit ${COMPARE_WIDTH} columns with 2 and with 11 long-named variants`, () => {
    for (const n of [2, 11]) {
      const text = compareTable(report(n), metrics);
      const lines = text.trimEnd().split('\n');
      expect(lines.length).toBeGreaterThan(10);
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(COMPARE_WIDTH);
    }
    // names so long that the difference no longer fits beside: it goes on a line of its own
    const long = compareTable(report(3, `${'x'.repeat(52)}-`), ['latency.p99']);
    for (const l of long.split('\n')) expect(l.length, l).toBeLessThanOrEqual(COMPARE_WIDTH);
    expect(long).toContain('      − baseline [95% CI]: -12.35 [-16.91, -7.778]');
  });

  it('name the unit in each header and print values in it (ms, %, /s)', () => {
    const text = compareTable(report(3), metrics);
    expect(text).toContain('latency.p99 (ms; histogram resolution up to 0.512 ms)');
    expect(text).toContain('throughput (/s)');
    expect(text).toContain('errorRatio (%)');
    expect(text).toMatch(/123\.5 \[111\.1, 135\.8\]/); // 0.1234567 s in ms
    expect(text).toMatch(/0\.1234 \[0\.1034, 0\.1434\]/); // 0.001234 in %
    expect(scaleOf('ratios.hitRatio').unit).toBe('%');
  });

  it('show every variant as a row and the paired difference beside it', () => {
    const text = compareTable(report(11), ['latency.p99']);
    for (let i = 0; i < 11; i++) expect(text).toContain(`number-${i}`);
    expect(text).toContain('-12.35 [-16.91, -7.778]');
  });
});
