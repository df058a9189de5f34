import { type ChartDef, HEIGHT, stepLines, timeChart, type VlSpec } from './chart.ts';
import { bucketize, r4 } from './series.ts';
import type { RunReportInput } from './types.ts';

/** Counters that have their own charts (hit ratio, replica count). */
const CHARTED_ELSEWHERE = new Set(['hits', 'misses', 'replicas']);

/**
 * The per-window counters a component can be charted with: counts only (names ending in `_us`
 * sum durations, not events), not charted elsewhere, non-zero in some window.
 */
export function plottableCounters(metrics: Readonly<Record<string, readonly number[]>>): string[] {
  return Object.keys(metrics)
    .filter((m) => m.startsWith('counter.'))
    .map((m) => m.slice('counter.'.length))
    .filter((c) => !CHARTED_ELSEWHERE.has(c) && !c.endsWith('_us'))
    .filter((c) => (metrics[`counter.${c}`] ?? []).some((v) => v !== 0))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Most counters drawn as lines of their own; the rest are summed into one "other" line. */
export const TOP_COUNTERS = 8;

const otherName = (rest: readonly string[]) => `other (${rest.length})`;

/**
 * The counters a chart draws: all of them when there are at most TOP_COUNTERS + 1, else the
 * TOP_COUNTERS largest by total (ties by name) in name order, plus one "other (k)" line.
 */
export function topCounters(
  metrics: Readonly<Record<string, readonly number[]>>,
  names: readonly string[],
): { names: string[]; rest: string[] } {
  if (names.length <= TOP_COUNTERS + 1) return { names: [...names], rest: [] };
  const total = (n: string) => (metrics[`counter.${n}`] ?? []).reduce((a, v) => a + v, 0);
  const ranked = [...names].sort((a, b) => total(b) - total(a) || (a < b ? -1 : 1));
  const top = ranked.slice(0, TOP_COUNTERS).sort((a, b) => (a < b ? -1 : 1));
  const rest = ranked.slice(TOP_COUNTERS).sort((a, b) => (a < b ? -1 : 1));
  return { names: [...top, otherName(rest)], rest };
}

/** Axis ticks for a symlog scale: 0, 1, 10, … up to the first power of ten ≥ max. */
export function decades(max: number): number[] {
  const out = [0];
  for (let v = 1; out.length < 12; v *= 10) {
    out.push(v);
    if (v >= max) break;
  }
  return out;
}

/**
 * One chart per non-client component with counters (a balancer's backend_failures, retries and
 * health checks, a server's refused connections, …): events per second per bucket, symlog y so
 * that a single health-check transition shows next to hundreds of failures per second.
 */
export function counterCharts(input: RunReportInput): ChartDef[] {
  const charts: ChartDef[] = [];
  for (const s of input.series) {
    const type = input.results.runs[0]?.components[s.component]?.type ?? '';
    if (type.startsWith('client.')) continue;
    const all = plottableCounters(s.metrics);
    if (all.length === 0) continue;
    const b = bucketize(s);
    const { names, rest } = topCounters(s.metrics, all);
    const perSecond = (sums: readonly number[], name: string) =>
      b.t.map((t, i) => ({ t, series: name, v: r4(sums[i]! / b.width) }));
    const rows = names.flatMap((name) => {
      if (name !== otherName(rest)) return perSecond(b.sum(`counter.${name}`), name);
      const sums = b.t.map((_, i) => rest.reduce((a, r) => a + b.sum(`counter.${r}`)[i]!, 0));
      return perSecond(sums, name);
    });
    const main: VlSpec[] = [
      stepLines(
        rows,
        {
          title: 'events / s',
          scale: { type: 'symlog' },
          axis: { values: decades(rows.reduce((m, r) => Math.max(m, r.v ?? 0), 0)) },
        },
        {
          color: { scale: { domain: names } },
          encoding: {
            tooltip: [
              { field: 't', type: 'quantitative', title: 't (s)' },
              { field: 'series', type: 'nominal', title: 'counter' },
              { field: 'v', type: 'quantitative', title: 'per s' },
            ],
          },
        },
      ),
    ];
    charts.push({
      id: `counters-${s.component}`,
      title: `Counters at ${s.component} (${type})`,
      note: `Events per second in each ${b.width} s bucket, symlog scale; counters that are equal overlap (e.g. every backend failure retried).${rest.length === 0 ? '' : ` The ${TOP_COUNTERS} largest counters are drawn; "${otherName(rest)}" sums ${rest.join(', ')}.`}`,
      series: names,
      spec: timeChart(main, input.faults, input.info.warmup, HEIGHT - 20),
    });
  }
  return charts;
}
