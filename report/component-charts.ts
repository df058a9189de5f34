import { type ChartDef, HEIGHT, stepLines, timeChart, type VlSpec, WIDTH } from './chart.ts';
import { bucketize, r4 } from './series.ts';
import type { RunReportInput } from './types.ts';

function estimateRows(input: RunReportInput, metric: string) {
  return Object.entries(input.results.summary).flatMap(([component, m]) => {
    const e = m[metric];
    if (e === undefined) return [];
    return [
      { component, mean: r4(e.mean), lower: r4(e.lower ?? e.mean), upper: r4(e.upper ?? e.mean) },
    ];
  });
}

/** Mean utilisation per component with its 95% CI (error bars when replications > 1). */
export function utilisationChart(input: RunReportInput): ChartDef | undefined {
  const rows = estimateRows(input, 'utilisation').filter((r) => (r.mean ?? 0) > 0);
  if (rows.length === 0) return undefined;
  return {
    id: 'utilisation',
    title: 'Utilisation per component',
    note: 'Time-averaged busy servers ÷ capacity over the measured run; bars: mean over replications, whiskers: 95% CI.',
    series: rows.map((r) => r.component),
    spec: {
      width: WIDTH - 120,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'bar', color: '#4c78a8' },
          encoding: {
            y: { field: 'component', type: 'nominal', sort: null, title: null },
            x: {
              field: 'mean',
              type: 'quantitative',
              title: 'utilisation',
              scale: { domain: [0, 1] },
              axis: { format: '%' },
            },
          },
        },
        {
          mark: { type: 'errorbar', ticks: true },
          encoding: {
            y: { field: 'component', type: 'nominal', sort: null },
            x: { field: 'lower', type: 'quantitative', title: 'utilisation' },
            x2: { field: 'upper' },
          },
        },
      ],
    },
  };
}

/** Mean and max queue length per component. */
export function queueChart(input: RunReportInput): ChartDef | undefined {
  const mean = estimateRows(input, 'queue.mean');
  const max = estimateRows(input, 'queue.max');
  const rows = [
    ...mean.map((r) => ({ component: r.component, statistic: 'mean', v: r.mean })),
    ...max.map((r) => ({ component: r.component, statistic: 'max', v: r.mean })),
  ];
  const used = new Set(rows.filter((r) => (r.v ?? 0) > 0).map((r) => r.component));
  const kept = rows.filter((r) => used.has(r.component));
  if (kept.length === 0) return undefined;
  return {
    id: 'queue',
    title: 'Queue length per component',
    note: 'Requests waiting for a worker or connection: time-weighted mean and the maximum seen.',
    series: [...used],
    spec: {
      width: WIDTH - 120,
      data: { values: kept },
      mark: 'bar',
      encoding: {
        y: { field: 'component', type: 'nominal', sort: null, title: null },
        yOffset: { field: 'statistic' },
        x: {
          field: 'v',
          type: 'quantitative',
          title: 'requests waiting',
          scale: { type: 'symlog' },
        },
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

/** In-flight requests per component over time (Little's law: summed latency ÷ bucket width). */
export function concurrencyChart(input: RunReportInput): ChartDef | undefined {
  const rows: { t: number; series: string; v: number | null }[] = [];
  const names: string[] = [];
  for (const s of input.series) {
    const type = input.results.runs[0]?.components[s.component]?.type ?? '';
    if (type.startsWith('client.') || (s.metrics.completions ?? []).every((v) => v === 0)) continue;
    const b = bucketize(s);
    const mean = b.meanLatency();
    const done = b.sum('completions');
    names.push(s.component);
    b.t.forEach((t, i) => {
      const v = Number.isFinite(mean[i]!) ? (mean[i]! * done[i]!) / b.width : 0;
      rows.push({ t, series: s.component, v: r4(v) });
    });
  }
  if (names.length === 0) return undefined;
  const main: VlSpec[] = [stepLines(rows, { title: 'requests inside' })];
  return {
    id: 'concurrency',
    title: 'Load per component over time',
    note: "Mean requests inside each component per bucket, from Little's law (Σ latency of completions ÷ bucket width): a rising line is a queue building up.",
    series: names,
    spec: timeChart(main, input.faults, input.info.warmup),
  };
}

/** Cache hit ratio per component that counts hits and misses, per bucket. */
export function hitRatioChart(input: RunReportInput): ChartDef | undefined {
  const rows: { t: number; series: string; v: number | null }[] = [];
  const names: string[] = [];
  for (const s of input.series) {
    if (s.metrics['counter.hits'] === undefined && s.metrics['counter.misses'] === undefined)
      continue;
    const b = bucketize(s);
    const hits = b.sum('counter.hits');
    const misses = b.sum('counter.misses');
    names.push(s.component);
    b.t.forEach((t, i) => {
      const total = hits[i]! + misses[i]!;
      rows.push({ t, series: s.component, v: total > 0 ? r4(hits[i]! / total) : null });
    });
  }
  if (names.length === 0) return undefined;
  const main: VlSpec[] = [
    stepLines(rows, { title: 'hit ratio', scale: { domain: [0, 1] }, axis: { format: '%' } }),
  ];
  return {
    id: 'hit-ratio',
    title: 'Cache hit ratio per layer',
    note: 'hits ÷ (hits + misses) per bucket; gaps are buckets without lookups.',
    series: names,
    spec: timeChart(main, input.faults, input.info.warmup, HEIGHT - 30),
  };
}

/** Replicas of autoscaled groups (the balancer's running total of its `replicas` counter). */
export function replicasChart(input: RunReportInput): ChartDef | undefined {
  const rows: { t: number; series: string; v: number }[] = [];
  const names: string[] = [];
  for (const s of input.series) {
    if (s.metrics['counter.replicas'] === undefined) continue;
    const b = bucketize(s);
    const total = b.cumulative('counter.replicas');
    names.push(s.component);
    b.t.forEach((t, i) => {
      rows.push({ t, series: s.component, v: total[i]! });
    });
  }
  if (names.length === 0) return undefined;
  const main: VlSpec[] = [
    stepLines(
      rows,
      { title: 'replicas', axis: { tickMinStep: 1 } },
      { strokeWidth: 2, color: { title: 'balancer' } },
    ),
  ];
  return {
    id: 'replicas',
    title: 'Replica count of autoscaled groups',
    note: 'Running total of replicas added and removed by each load balancer’s autoscaler, at the end of each bucket.',
    series: names,
    spec: timeChart(main, input.faults, input.info.warmup, HEIGHT - 50),
  };
}
