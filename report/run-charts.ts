import type { ComponentSeries } from '../models/scenario/results.ts';
import { type ChartDef, HEIGHT, TIME_X, timeChart, type VlSpec, WIDTH } from './chart.ts';
import { bucketize, r4 } from './series.ts';
import type { CdfByComponent, RunReportInput } from './types.ts';

const STATUS_COLORS = {
  '2xx/3xx': '#2ca02c',
  '429': '#ff7f0e',
  '5xx': '#d62728',
  other: '#7f7f7f',
};

/** Client components (their type starts with 'client.'), in id order. */
export function clientIds(input: RunReportInput): string[] {
  const comps = input.results.runs[0]?.components ?? {};
  return Object.keys(comps).filter((id) => comps[id]!.type.startsWith('client.'));
}

const seriesOf = (input: RunReportInput, id: string): ComponentSeries | undefined =>
  input.series.find((s) => s.component === id);

function latencyChart(input: RunReportInput, id: string): ChartDef | undefined {
  const s = seriesOf(input, id);
  if (s === undefined) return undefined;
  const b = bucketize(s);
  const perWindow = b.metrics.has('latencyP99');
  if (!perWindow) return latencySummaryChart(input, id, b);
  // Per-window percentiles from coarse per-window histograms (±4.5%); when windows are
  // aggregated into wider buckets for plotting, each bucket shows its worst window.
  const p50 = b.max('latencyP50');
  const p90 = b.max('latencyP90');
  const p99 = b.max('latencyP99');
  const rows = b.t.map((t, i) => ({
    t,
    p50: r4(p50[i]! * 1000),
    p90: r4(p90[i]! * 1000),
    p99: r4(p99[i]! * 1000),
  }));
  const names = ['p50', 'p90', 'p99'];
  const main: VlSpec[] = [
    {
      data: { values: rows },
      transform: [{ fold: names, as: ['series', 'ms'] }],
      mark: { type: 'line', strokeWidth: 1.4, interpolate: 'step-after' },
      encoding: {
        x: TIME_X,
        y: { field: 'ms', type: 'quantitative', title: 'latency (ms)', scale: { type: 'symlog' } },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain: names, range: ['#2ca02c', '#ff7f0e', '#d62728'] },
        },
      },
    },
  ];
  const wide =
    b.width > s.window ? ` (worst ${s.window} s window in each ${b.width} s bucket)` : '';
  return {
    id: `latency-${id}`,
    title: `End-to-end latency percentiles at ${id}`,
    note: `p50/p90/p99 per ${s.window} s window${wide}, from per-window histograms accurate to about ±5%.`,
    series: names,
    spec: timeChart(main, input.faults, input.info.warmup),
  };
}

function latencySummaryChart(
  input: RunReportInput,
  id: string,
  b: ReturnType<typeof bucketize>,
): ChartDef {
  const mean = b.meanLatency();
  const max = b.max('latencyMax');
  const rows = b.t.map((t, i) => ({ t, mean: r4(mean[i]! * 1000), max: r4(max[i]! * 1000) }));
  const sum = input.results.summary[id] ?? {};
  const pcts = (['p50', 'p90', 'p99'] as const)
    .map((p) => ({ series: `${p} (whole run)`, v: r4((sum[`latency.${p}`]?.mean ?? 0) * 1000) }))
    .filter((p) => p.v !== null);
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: {
      domain: ['mean per window', 'max per window', ...pcts.map((p) => p.series)],
      range: ['#1f77b4', '#aec7e8', '#2ca02c', '#ff7f0e', '#d62728'],
    },
  };
  const main: VlSpec[] = [
    {
      data: { values: rows },
      transform: [
        { fold: ['mean', 'max'], as: ['key', 'ms'] },
        { calculate: "datum.key + ' per window'", as: 'series' },
      ],
      mark: { type: 'line', strokeWidth: 1.4, interpolate: 'step-after' },
      encoding: {
        x: TIME_X,
        y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
        color,
      },
    },
    {
      data: { values: pcts },
      mark: { type: 'rule', strokeDash: [6, 3], strokeWidth: 1.2 },
      encoding: { y: { field: 'v', type: 'quantitative' }, color },
    },
  ];
  return {
    id: `latency-${id}`,
    title: `End-to-end latency at ${id}`,
    note: `Mean and max per ${b.width} s bucket; dashed: p50/p90/p99 of the whole measured run.`,
    series: ['mean per window', 'max per window', ...pcts.map((p) => p.series)],
    spec: timeChart(main, input.faults, input.info.warmup),
  };
}

function throughputChart(input: RunReportInput, id: string): ChartDef | undefined {
  const s = seriesOf(input, id);
  if (s === undefined) return undefined;
  const b = bucketize(s);
  const [done, ok, r429, r5xx] = ['completions', 'ok', 'rejected429', 'errors5xx'].map((m) =>
    b.sum(m),
  );
  const rows = b.t.map((t, i) => {
    const per = (v: number) => r4(v / b.width);
    return {
      t,
      '2xx/3xx': per(ok![i]!),
      '429': per(r429![i]!),
      '5xx': per(r5xx![i]!),
      other: per(done![i]! - ok![i]! - r429![i]! - r5xx![i]!),
    };
  });
  const keys = Object.keys(STATUS_COLORS);
  const main: VlSpec[] = [
    {
      data: { values: rows },
      transform: [{ fold: keys, as: ['series', 'rate'] }],
      mark: { type: 'area', interpolate: 'step-after', opacity: 0.85 },
      encoding: {
        x: TIME_X,
        y: { field: 'rate', type: 'quantitative', stack: 'zero', title: 'completions / s' },
        color: {
          field: 'series',
          type: 'nominal',
          title: 'status',
          scale: { domain: keys, range: Object.values(STATUS_COLORS) },
        },
        order: { field: 'series', sort: 'descending' },
      },
    },
  ];
  return {
    id: `throughput-${id}`,
    title: `Throughput and status mix at ${id}`,
    note: 'Stacked completions per second by outcome; "other" is 4xx other than 429 and client-side failures (timeouts, connect errors).',
    series: keys,
    spec: timeChart(main, input.faults, input.info.warmup),
  };
}

/** Thins a CDF to at most `max` points, always keeping the last (the max). */
export function thinCdf(points: readonly (readonly [number, number])[], max = 300) {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out: (readonly [number, number])[] = [];
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor(i * step)]!);
  out.push(points[points.length - 1]!);
  return out;
}

/** Latency CDFs, one line per key (component or variant), log x. */
export function cdfChart(id: string, title: string, cdf: CdfByComponent, note: string): ChartDef {
  const rows = Object.entries(cdf).flatMap(([series, pts]) =>
    thinCdf(pts)
      .filter(([v]) => v > 0)
      .map(([v, p]) => ({ series, ms: r4(v * 1000), p: r4(p) })),
  );
  return {
    id,
    title,
    note,
    series: Object.keys(cdf),
    spec: {
      width: WIDTH,
      height: HEIGHT + 40,
      data: { values: rows },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
      encoding: {
        x: {
          field: 'ms',
          type: 'quantitative',
          scale: { type: 'log' },
          title: 'latency (ms, log)',
        },
        y: { field: 'p', type: 'quantitative', title: 'fraction of requests ≤ x' },
        // domain in key order: a variant keeps the colour it has in the bar charts
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain: Object.keys(cdf) },
        },
      },
    },
  };
}

function breakdownChart(input: RunReportInput, id: string): ChartDef | undefined {
  const breakdown = input.results.runs[0]?.components[id]?.breakdown;
  if (breakdown === undefined || Object.keys(breakdown).length === 0) return undefined;
  const rows = Object.entries(breakdown).flatMap(([phase, v]) => [
    { phase, statistic: 'mean', ms: r4(v.mean * 1000) },
    { phase, statistic: 'p99', ms: r4(v.p99 * 1000) },
  ]);
  return {
    id: `breakdown-${id}`,
    title: `Where the time went at ${id} (latency by phase)`,
    note: 'Mean and p99 per phase over finished requests of replication 0 (retries and backoff included).',
    series: Object.keys(breakdown),
    spec: {
      width: WIDTH - 120,
      data: { values: rows },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'phase', type: 'nominal', sort: null, title: null },
        yOffset: { field: 'statistic' },
        x: { field: 'ms', type: 'quantitative', title: 'ms' },
        color: {
          field: 'statistic',
          type: 'nominal',
          title: null,
          scale: { range: ['#1f77b4', '#ff7f0e'] },
        },
      },
    },
  };
}

export { breakdownChart, latencyChart, throughputChart };
