import type { MetricSummary, ReplicationResults } from '../experiments/replications.ts';

/** Seconds as a short human duration: 850µs, 12.3ms, 1.25s. */
export function formatSeconds(s: number): string {
  if (s === 0) return '0';
  if (s < 1e-3) return `${sig(s * 1e6)}µs`;
  if (s < 1) return `${sig(s * 1e3)}ms`;
  return `${sig(s)}s`;
}

function sig(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function count(v: number): string {
  if (v >= 1e9) return `${sig(v / 1e9)}G`;
  if (v >= 1e6) return `${sig(v / 1e6)}M`;
  if (v >= 1e4) return `${sig(v / 1e3)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function pct(v: number | undefined): string {
  return v === undefined ? '-' : `${(v * 100).toFixed(v >= 0.1 || v === 0 ? 1 : 2)}%`;
}

function statusMix(metrics: Readonly<Record<string, MetricSummary>>, total: number): string {
  const parts: string[] = [];
  for (const [name, m] of Object.entries(metrics)) {
    if (!name.startsWith('status.') || m.mean === 0) continue;
    parts.push(`${name.slice(7)}:${total > 0 ? Math.round((m.mean / total) * 100) : 0}%`);
  }
  return parts.length === 0 ? '-' : parts.join(' ');
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const HEADER = [
  'component',
  'type',
  'requests',
  'status',
  'thrpt/s',
  'p50',
  'p90',
  'p99',
  'p99.9',
  'max',
  'util',
  'queue',
  'hit',
  '429',
];

/**
 * The readable summary: one row per component with request count, status mix, throughput,
 * latency percentiles, utilisation, mean queue length, hit ratio and 429 ratio. With several
 * replications cells are means and p99 carries its 95% half-width.
 */
export function summaryTable(results: ReplicationResults): string {
  const rows: string[][] = [HEADER];
  const first = results.runs[0];
  for (const [id, metrics] of Object.entries(results.summary)) {
    const m = (name: string) => metrics[name]?.mean;
    const v = (name: string) => m(name) ?? 0;
    const completions = v('completions');
    let p99 = formatSeconds(v('latency.p99'));
    const hw = metrics['latency.p99']?.halfWidth;
    if (results.replications > 1 && hw !== undefined && hw !== null) p99 += `±${formatSeconds(hw)}`;
    rows.push([
      id,
      first?.components[id]?.type ?? '',
      count(completions),
      statusMix(metrics, completions),
      count(v('throughput')),
      formatSeconds(v('latency.p50')),
      formatSeconds(v('latency.p90')),
      p99,
      formatSeconds(v('latency.p999')),
      formatSeconds(v('latency.max')),
      // an autoscaled group: busy over the replicas that were active, not all pre-built ones
      pct(m('ratios.activeUtilisation') ?? m('utilisation')) +
        (m('ratios.activeUtilisation') === undefined ? '' : '*'),
      count(v('queue.mean')),
      pct(m('ratios.hitRatio')),
      pct(m('ratios.rejectRatio429')),
    ]);
  }
  const head = [
    `${results.scenario}: ${results.duration}s measured after ${results.warmup}s warm-up, seed ${results.seed}` +
      (results.replications > 1
        ? `, ${results.replications} replications (means; p99 ± 95% CI)`
        : ''),
  ];
  if (results.partial) head.push(`PARTIAL: stopped by ${results.stoppedBy} budget before the end`);
  const notes = Object.entries(results.summary)
    .filter(([, m]) => m['ratios.activeUtilisation'] !== undefined)
    .map(
      ([id, m]) =>
        `* ${id}: utilisation over its active replicas (${pct(m.utilisation?.mean)} over all ${results.runs[0]?.components[id]?.replicas ?? '?'} built)`,
    );
  const foot = notes.length === 0 ? '' : `${notes.join('\n')}\n`;
  return `${headlineLines(results)}${head.join('\n')}\n${table(rows)}\n${foot}${duplicateLines(results)}${breakdownLines(results)}`;
}

/**
 * Duplicate writes per write route (counters `duplicateWrites[POST /pay]` of app servers: a
 * logical request applied twice by its retries), one line; empty when there were none.
 */
function duplicateLines(results: ReplicationResults): string {
  const parts: string[] = [];
  for (const [id, metrics] of Object.entries(results.summary)) {
    for (const [name, m] of Object.entries(metrics)) {
      const route = /^counters\.duplicateWrites\[(.+)\]$/.exec(name)?.[1];
      if (route !== undefined && m.mean > 0) parts.push(`${id} ${route} ${count(m.mean)}`);
    }
  }
  return parts.length === 0
    ? ''
    : `duplicate writes (one request applied twice by its retries): ${parts.join(', ')}\n`;
}

/**
 * The scenario's headline figures (report.headline), one per line, label then value in words
 * with its unit, aligned; empty when the scenario names none.
 */
export function headlineLines(results: Pick<ReplicationResults, 'scenario' | 'headline'>): string {
  if (results.headline.length === 0) return '';
  const width = Math.max(...results.headline.map((h) => h.label.length));
  const lines = results.headline.map((h) => `  ${`${h.label}:`.padEnd(width + 1)}  ${h.text}`);
  return `${results.scenario}: what it shows\n${lines.join('\n')}\n\n`;
}

/**
 * "Where the time went" per client, from replication 0's phase breakdown: each phase's mean
 * and p99, largest mean first.
 */
function breakdownLines(results: ReplicationResults): string {
  const lines: string[] = [];
  const first = results.runs[0];
  for (const [id, c] of Object.entries(first?.components ?? {})) {
    const phases = Object.entries(c.breakdown ?? {}).sort((a, b) => b[1].mean - a[1].mean);
    if (phases.length === 0) continue;
    const parts = phases.map(
      ([phase, p]) => `${phase} ${formatSeconds(p.mean)} (p99 ${formatSeconds(p.p99)})`,
    );
    lines.push(`${id}: where the time went (mean, p99 per phase): ${parts.join(', ')}`);
  }
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}
