import type { Estimate } from './metrics.ts';
import type { ExperimentReport } from './summary.ts';

/**
 * One tidy row: one metric of one component at one cell. `statistic` says what the numbers are:
 * 'mean' (across-replication mean and 95% CI), 'pooled' (a percentile of all replications'
 * requests merged; no CI) or 'difference' (variant − baseline, paired; its 95% CI).
 */
export interface TidyRow {
  readonly params: Readonly<Record<string, unknown>>;
  readonly variant: string;
  readonly component: string;
  readonly metric: string;
  readonly statistic: 'mean' | 'pooled' | 'difference';
  readonly mean: number;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly n: number;
}

const POOLED = ['p50', 'p90', 'p99', 'p999', 'max', 'mean'] as const;

/** The report as tidy rows, in cell order, then component, then metric order. */
export function tidyRows(report: ExperimentReport): TidyRow[] {
  const rows: TidyRow[] = [];
  for (const cell of report.cells) {
    const base = { params: cell.params, variant: cell.variant ?? '' };
    const push = (
      component: string,
      metric: string,
      statistic: TidyRow['statistic'],
      e: Estimate,
    ) =>
      rows.push({
        ...base,
        component,
        metric,
        statistic,
        mean: e.mean,
        lower: e.lower,
        upper: e.upper,
        n: e.n,
      });
    for (const [component, metrics] of Object.entries(cell.metrics)) {
      for (const [metric, e] of Object.entries(metrics)) push(component, metric, 'mean', e);
      const pooled = cell.pooled[component];
      if (pooled !== undefined && pooled.count > 0) {
        for (const q of POOLED) {
          const e = {
            mean: pooled[q],
            halfWidth: null,
            lower: null,
            upper: null,
            n: cell.replications,
          };
          push(component, `latency.${q}`, 'pooled', e);
        }
      }
    }
    for (const [component, metrics] of Object.entries(cell.difference?.metrics ?? {})) {
      for (const [metric, e] of Object.entries(metrics)) push(component, metric, 'difference', e);
    }
  }
  return rows;
}

/** A CSV cell: numbers as shortest round-trip text; text quoted when needed and guarded against formulas. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  // A spreadsheet would run a cell starting with = + - @ (or tab/CR) as a formula.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Tidy rows as CSV text (pure; RFC 4180 quoting, LF line ends). Columns: one per swept parameter
 * (its dotted path), then variant, component, metric, statistic, mean, lower, upper, n.
 */
export function toCsv(rows: readonly TidyRow[], paramNames?: readonly string[]): string {
  const params = paramNames ?? [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  const header = [
    ...params,
    'variant',
    'component',
    'metric',
    'statistic',
    'mean',
    'lower',
    'upper',
    'n',
  ];
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) {
    const cells = [
      ...params.map((p) => r.params[p]),
      r.variant,
      r.component,
      r.metric,
      r.statistic,
      r.mean,
      r.lower,
      r.upper,
      r.n,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
