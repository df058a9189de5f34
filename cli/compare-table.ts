import type { Estimate } from '../experiments/metrics.ts';
import type { ExperimentReport } from '../experiments/summary.ts';

/** The widest line compare prints (a terminal of 100 columns). */
export const COMPARE_WIDTH = 100;

/** How a metric is shown in a table: its unit and the factor from the results' unit. */
interface Scale {
  readonly unit: string;
  readonly factor: number;
}

const SHARE =
  /^(utilisation|errorRatio|ratios\.(hitRatio|\w+HitRatio|rejectRatio429|errorRatio5xx|goodputShare|activeUtilisation))$/;

/** The display unit of a metric: latencies in ms, shares in %, rates per second, else counts. */
export function scaleOf(metric: string): Scale {
  if (/^latency\.(count)$/.test(metric)) return { unit: 'requests', factor: 1 };
  if (/^(latency|breakdown)\.|seconds$/.test(metric)) return { unit: 'ms', factor: 1000 };
  if (SHARE.test(metric)) return { unit: '%', factor: 100 };
  if (metric === 'throughput' || metric === 'ratios.goodput') return { unit: '/s', factor: 1 };
  if (metric === 'ratios.amplification') return { unit: '×', factor: 1 };
  if (metric.endsWith('PerExpiry')) return { unit: 'fetches per expiry', factor: 1 };
  return { unit: 'count', factor: 1 };
}

/** 4 significant digits, no exponent for ordinary values; '–' when missing. */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (v === 0) return '0';
  if (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e9) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

function cell(e: Estimate | undefined, s: Scale): string {
  if (e === undefined) return '–';
  const m = num(e.mean * s.factor);
  if (e.lower === null || e.upper === null) return m;
  return `${m} [${num(e.lower * s.factor)}, ${num(e.upper * s.factor)}]`;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function pad(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The compare table, transposed so that it fits COMPARE_WIDTH columns whatever the number of
 * variants: one block per component and metric, its unit (and a percentile's histogram
 * resolution) in the block header, one row per variant with mean [95% CI] and the paired
 * difference to the baseline. A line that would still be too wide (very long names) puts the
 * difference on a line of its own; names longer than 60 characters are cut with '…'.
 */
export function compareTable(report: ExperimentReport, metrics: readonly string[]): string {
  const cells = report.cells;
  const baseline = report.baseline;
  const names = cells.map((c) => clip(c.variant ?? 'scenario', 60));
  const components = [...new Set(cells.flatMap((c) => Object.keys(c.metrics)))];
  const out: string[] = [];
  const diffHead = baseline === undefined ? undefined : '− baseline [95% CI]';
  for (const id of components) {
    const blocks: string[] = [];
    const shown = [...metrics];
    if (cells.some((c) => (c.pooled[id]?.count ?? 0) > 0)) shown.push('pooled p99');
    for (const m of shown) {
      const pooled = m === 'pooled p99';
      if (!pooled && cells.every((c) => c.metrics[id]?.[m] === undefined)) continue;
      const s = scaleOf(pooled ? 'latency.p99' : m);
      const res = cells
        .map((c) => c.metrics[id]?.[m]?.resolution ?? 0)
        .reduce((a, b) => Math.max(a, b), 0);
      const note = res > 0 ? `; histogram resolution up to ${num(res * s.factor)} ${s.unit}` : '';
      const head = pooled
        ? `  pooled p99 (${s.unit}; all replications' requests together)`
        : `  ${m} (${s.unit}${note})`;
      const withDiff = diffHead !== undefined && !pooled;
      const rows: string[][] = [
        ['    variant', pooled ? 'p99' : 'mean [95% CI]', ...(withDiff ? [diffHead] : [])],
      ];
      cells.forEach((c, i) => {
        const mine = pooled ? fmtPooled(c.pooled[id]?.p99, s) : cell(c.metrics[id]?.[m], s);
        const d = c.difference?.metrics[id]?.[m];
        rows.push([
          `    ${names[i]}`,
          mine,
          ...(withDiff ? [d === undefined ? '' : cell(d, s)] : []),
        ]);
      });
      const lines = pad(rows);
      if (lines.some((l) => l.length > COMPARE_WIDTH)) {
        // too wide side by side: the difference goes under its row
        const narrow = pad(rows.map((r) => r.slice(0, 2)));
        const split: string[] = [];
        narrow.forEach((l, i) => {
          split.push(l);
          const d = rows[i]![2];
          if (i > 0 && d !== undefined && d !== '') split.push(`      ${diffHead}: ${d}`);
        });
        blocks.push(clip(head, COMPARE_WIDTH), ...split.map((l) => clip(l, COMPARE_WIDTH)));
      } else blocks.push(clip(head, COMPARE_WIDTH), ...lines);
    }
    if (blocks.length > 0) out.push(id, ...blocks);
  }
  return `${out.join('\n')}\n`;
}

function fmtPooled(v: number | undefined, s: Scale): string {
  return v === undefined ? '–' : num(v * s.factor);
}
