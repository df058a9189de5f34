import type { CellSummary, ExperimentReport } from '../experiments/summary.ts';
import { type ChartDef, HEIGHT, type VlSpec, WIDTH } from './chart.ts';
import { cdfChart } from './run-charts.ts';
import { r4 } from './series.ts';
import type { CompareReportInput, StackGraph, SweepReportInput } from './types.ts';

/** Metrics every experiment report plots, with axis titles and a scale to display units. */
export const EXPERIMENT_METRICS: readonly { metric: string; title: string; scale: number }[] = [
  { metric: 'latency.mean', title: 'mean latency (ms)', scale: 1000 },
  { metric: 'latency.p99', title: 'p99 latency (ms)', scale: 1000 },
  { metric: 'throughput', title: 'throughput (/s)', scale: 1 },
  { metric: 'errorRatio', title: 'error ratio (5xx + timeouts)', scale: 1 },
];

/** The entry component: the first client in the graph, else the first component in the report. */
export function entryComponent(graph: StackGraph, report: ExperimentReport): string | undefined {
  const client = graph.nodes.find((n) => n.type.startsWith('client.'))?.id;
  return client ?? Object.keys(report.cells[0]?.metrics ?? {})[0];
}

const cellName = (c: CellSummary) => c.variant ?? 'scenario';

/** Bar charts with 95% CI error bars, one per metric, variants side by side, and overlaid CDFs. */
export function compareCharts(input: CompareReportInput): ChartDef[] {
  const id = entryComponent(input.graph, input.report);
  if (id === undefined) return [];
  const charts: ChartDef[] = [];
  const names = input.report.cells.map(cellName);
  for (const m of EXPERIMENT_METRICS) {
    const rows = input.report.cells.flatMap((c) => {
      const e = c.metrics[id]?.[m.metric];
      if (e === undefined) return [];
      const s = (v: number | null) => r4((v ?? e.mean) * m.scale);
      return [{ variant: cellName(c), mean: s(e.mean), lower: s(e.lower), upper: s(e.upper) }];
    });
    if (rows.length === 0) continue;
    const y = { field: 'variant', type: 'nominal', sort: null, title: null };
    charts.push({
      id: `compare-${m.metric}`,
      title: `${m.title} at ${id}`,
      series: rows.map((r) => r.variant),
      spec: {
        width: WIDTH / 2 - 110,
        data: { values: rows },
        layer: [
          {
            mark: 'bar',
            encoding: {
              y,
              x: { field: 'mean', type: 'quantitative', title: m.title },
              color: { field: 'variant', type: 'nominal', legend: null, scale: { domain: names } },
            },
          },
          {
            mark: { type: 'errorbar', ticks: true },
            encoding: {
              y,
              x: { field: 'lower', type: 'quantitative', title: m.title },
              x2: { field: 'upper' },
            },
          },
          {
            // the mean as text right of the whisker: short bars stay readable
            mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#333' },
            encoding: {
              y,
              x: { field: 'upper', type: 'quantitative', title: m.title },
              text: { field: 'mean', type: 'quantitative', format: ',.3~r' },
            },
          },
        ],
      },
    });
  }
  const cdf: Record<string, readonly (readonly [number, number])[]> = {};
  for (const c of input.report.cells) {
    const pts = input.cdf[String(c.index)]?.[id];
    if (pts !== undefined && pts.length > 0) cdf[cellName(c)] = pts;
  }
  if (Object.keys(cdf).length > 0) {
    charts.push(
      cdfChart(
        'compare-cdf',
        `Latency CDF at ${id} per variant`,
        cdf,
        'All replications pooled (merged histograms); log x.',
      ),
    );
  }
  return charts;
}

/** A swept value as a number ("2000/s" → 2000), or undefined when it is not numeric. */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Each metric against the first swept parameter with 95% bands; colour: variant / other params. */
export function sweepCharts(input: SweepReportInput): ChartDef[] {
  const charts: ChartDef[] = [];
  const report = input.report;
  const param = input.parameters[0];
  if (report !== undefined && param !== undefined) {
    const id = entryComponent(input.graph, report);
    const others = input.parameters.slice(1);
    const unit = String(report.cells[0]?.params[param] ?? '').replace(/^[-\d.e+]+/, '');
    for (const m of EXPERIMENT_METRICS) {
      if (id === undefined) break;
      const rows = report.cells.flatMap((c) => {
        const e = c.metrics[id]?.[m.metric];
        const x = numericValue(c.params[param]);
        if (e === undefined || x === undefined) return [];
        const group = [c.variant, ...others.map((p) => `${p}=${String(c.params[p])}`)]
          .filter((s) => s !== undefined)
          .join(' ');
        const s = (v: number | null) => r4((v ?? e.mean) * m.scale);
        return [
          {
            x,
            group: group === '' ? 'mean' : group,
            mean: s(e.mean),
            lower: s(e.lower),
            upper: s(e.upper),
          },
        ];
      });
      if (rows.length === 0) continue;
      const enc = {
        x: {
          field: 'x',
          type: 'quantitative',
          title: `${param}${unit === '' ? '' : ` (${unit})`}`,
        },
        color: { field: 'group', type: 'nominal', title: null },
      };
      charts.push({
        id: `sweep-${m.metric}`,
        title: `${m.title} at ${id} vs ${param}`,
        note: 'Line: mean over replications; band: 95% confidence interval.',
        series: [...new Set(rows.map((r) => r.group))],
        spec: {
          width: WIDTH / 2 - 100,
          height: HEIGHT - 30,
          data: { values: rows },
          layer: [
            {
              mark: { type: 'errorband', opacity: 0.25 },
              encoding: {
                ...enc,
                y: { field: 'lower', type: 'quantitative', title: m.title },
                y2: { field: 'upper' },
              },
            },
            {
              mark: { type: 'line', point: true },
              encoding: { ...enc, y: { field: 'mean', type: 'quantitative' } },
            },
          ],
        },
      });
    }
  }
  const cap = input.capacity;
  if (cap !== undefined) charts.push(...capacityCharts(cap));
  return charts;
}

function capacityCharts(cap: NonNullable<SweepReportInput['capacity']>): ChartDef[] {
  const objectives = [
    ...new Set(cap.probes.flatMap((p) => p.objectives.map((o) => `${o.component} ${o.metric}`))),
  ];
  return objectives.map((name, k): ChartDef => {
    const rows = cap.probes.flatMap((p) =>
      p.objectives
        .filter((o) => `${o.component} ${o.metric}` === name && o.mean !== null)
        .map((o) => ({
          x: p.value,
          mean: r4(o.mean!),
          lower: r4(o.lower ?? o.mean!),
          upper: r4(o.upper ?? o.mean!),
          max: o.max,
          outcome: p.pass ? 'pass' : 'fail',
        })),
    );
    const marks: { x: number; label: string }[] = [];
    // lastPass is the answer and firstFail its failing neighbour, whichever way the search ran.
    const best = cap.seek === 'min' ? 'smallest pass' : 'largest pass';
    if (cap.lastPass !== null)
      marks.push({ x: cap.lastPass, label: `${best} ${String(cap.lastPassText)}` });
    if (cap.firstFail !== null)
      marks.push({ x: cap.firstFail, label: `fails at ${String(cap.firstFailText)}` });
    const ends = [
      { v: cap.lastPass, t: cap.lastPassText },
      { v: cap.firstFail, t: cap.firstFailText },
    ].sort((a, b) => (a.v ?? 0) - (b.v ?? 0));
    const x = { field: 'x', type: 'quantitative', title: `${cap.parameter} (${cap.unit})` };
    const layers: VlSpec[] = [
      {
        mark: { type: 'rule', strokeDash: [6, 3], color: '#555' },
        encoding: { y: { field: 'max', type: 'quantitative', aggregate: 'max' } },
      },
      {
        mark: { type: 'errorbar', ticks: true },
        encoding: {
          x,
          y: { field: 'lower', type: 'quantitative', title: name },
          y2: { field: 'upper' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative' },
          color: {
            field: 'outcome',
            type: 'nominal',
            title: null,
            legend: { orient: 'bottom' },
            scale: { domain: ['pass', 'fail'], range: ['#2ca02c', '#d62728'] },
          },
        },
      },
      {
        data: { values: marks },
        mark: { type: 'rule', color: '#1f77b4', strokeWidth: 2 },
        encoding: { x: { field: 'x', type: 'quantitative' } },
      },
      {
        data: { values: marks },
        mark: { type: 'text', align: 'left', dx: 4, dy: -4, color: '#1f77b4' },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { value: 8 },
          text: { field: 'label' },
        },
      },
    ];
    return {
      id: `capacity-${k}`,
      title: `Capacity search: ${name} at each probe`,
      note: `Dashed: the objective's max. Blue: the answer bracket [${String(ends[0]!.t ?? 'none')}, ${String(ends[1]!.t ?? 'none')}]${cap.converged ? '' : ' (not converged)'}.`,
      series: ['pass', 'fail'].filter((o) => rows.some((r) => r.outcome === o)),
      spec: { width: WIDTH - 120, height: HEIGHT, data: { values: rows }, layer: layers },
    };
  });
}
