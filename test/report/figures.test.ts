// Issue 14: the report's legibility fixes, checked on the specs and HTML the report builds
// (the browser test renders them).
import { describe, expect, it } from 'vitest';
import type { ExperimentReport } from '../../experiments/summary.ts';
import { timeMarks } from '../../report/chart.ts';
import { compileChart } from '../../report/compile.ts';
import { TOP_COUNTERS, topCounters } from '../../report/counter-charts.ts';
import { compareCountersTables } from '../../report/tables.ts';
import { networkGaps, waterfallChart } from '../../report/traces.ts';

describe('waterfall', () => {
  it('fills the time in an attempt that no phase covers with network spans', () => {
    const spans = [
      { component: '', phase: 'attempt', start: 0, end: 100 },
      { component: 'app', phase: 'service', start: 10, end: 60 },
      { component: 'db', phase: 'database', start: 30, end: 70 },
    ];
    expect(networkGaps(spans)).toEqual([
      { component: '', phase: 'network', start: 0, end: 10 },
      { component: '', phase: 'network', start: 70, end: 100 },
    ]);
    const chart = waterfallChart([
      {
        id: 1,
        client: 'users',
        className: 'k',
        method: 'GET',
        route: '/',
        status: 200,
        reason: 'ok',
        attempts: 1,
        start: 0,
        end: 100,
        spans,
        kept: 'slowest',
      },
    ])!;
    expect(chart.series).toContain('network');
  });
});

describe('counter charts with many series', () => {
  it(`draw the ${TOP_COUNTERS} largest counters and sum the rest into "other"`, () => {
    const names = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const metrics = Object.fromEntries(names.map((n, i) => [`counter.${n}`, [i, i]]));
    const { names: drawn, rest } = topCounters(metrics, names);
    expect(drawn).toEqual(['c10', 'c11', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'other (4)']);
    expect(rest).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(topCounters(metrics, names.slice(0, TOP_COUNTERS + 1)).rest).toEqual([]);
  });
});

describe('time axes', () => {
  it('a label near the end of the axis is drawn left of its rule (it stays off the legend)', () => {
    const { over } = timeMarks(
      [{ t: 60, end: 120, label: 'crash app[1]', endLabel: 'restart app[1]', axisEnd: 120 }],
      10,
    );
    const texts = over.filter((l) => (l.mark as { type: string }).type === 'text');
    const aligned = texts.map((l) => [
      (l.mark as { align: string }).align,
      (l.data as { values: { label: string }[] }).values.map((v) => v.label),
    ]);
    expect(aligned).toContainEqual(['left', ['crash app[1]']]);
    expect(aligned).toContainEqual(['right', ['restart app[1]']]);
  });

  it('axis labels that would collide are thinned', () => {
    const c = compileChart({ id: 'x', title: 'x', series: [], spec: { mark: 'point' } });
    const axis = (c.vega as { config?: { axis?: Record<string, unknown> } }).config?.axis;
    expect(axis?.labelOverlap).toBe('greedy');
  });
});

describe('counters per variant', () => {
  it('a detection time of 0 s reads "0 s", not "–"', () => {
    const e = (mean: number) => ({ mean, halfWidth: 0, lower: mean, upper: mean, n: 3 });
    const report = {
      format: 'stacksim.experiment/1',
      scenario: 's',
      crn: true,
      cells: [
        {
          index: 0,
          key: 'a',
          params: {},
          variant: 'passive',
          replications: 3,
          seeds: [1, 2, 3],
          metrics: { lb: { 'counters.detections': e(1), 'counters.detect_us': e(0) } },
          pooled: {},
        },
        {
          index: 1,
          key: 'b',
          params: {},
          variant: 'instant',
          replications: 3,
          seeds: [1, 2, 3],
          metrics: { lb: { 'counters.detections': e(1) } },
          pooled: {},
        },
        {
          index: 2,
          key: 'c',
          params: {},
          variant: 'active',
          replications: 3,
          seeds: [1, 2, 3],
          metrics: { lb: { 'counters.detections': e(2), 'counters.detect_us': e(4.5e6) } },
          pooled: {},
        },
      ],
    } as unknown as ExperimentReport;
    const html = compareCountersTables(report, ['lb']);
    const rows = html.split('<tr>').slice(2);
    expect(rows[0]).toContain('<td>0 s</td>');
    expect(rows[1]).toContain('<td>0 s</td>');
    expect(rows[2]).toContain('<td>4.5 s</td>');
  });
});
