import type { ExperimentReport } from '../experiments/summary.ts';
import { escapeHtml as h, ms, num, pct } from './escape.ts';
import { EXPERIMENT_METRICS } from './experiment-charts.ts';
import type { RunReportInput } from './types.ts';

type Summary = RunReportInput['results']['summary'][string];

function withCi(e: Summary[string] | undefined, show: (v: number) => string): string {
  if (e === undefined) return '–';
  const main = show(e.mean);
  return e.halfWidth === null || e.halfWidth === 0
    ? main
    : `${main}<span class="ci">± ${show(e.halfWidth)}</span>`;
}

/** The scenario's headline figures (report.headline) as a list, label then value; '' without. */
export function headlineList(input: RunReportInput): string {
  const figures = input.results.headline ?? [];
  if (figures.length === 0) return '';
  const items = figures.map((f) => `<dt>${h(f.label)}</dt><dd>${h(f.text)}</dd>`);
  return `<dl class="headline">${items.join('')}</dl>`;
}

/** The summary table of a run: one row per component, means over replications (± 95% CI). */
export function runSummaryTable(input: RunReportInput): string {
  const comps = input.results.runs[0]?.components ?? {};
  const head = [
    'component',
    'type',
    'arrivals',
    'throughput /s',
    'mean ms',
    'p50 ms',
    'p99 ms',
    'max ms',
    '2xx/3xx',
    '429',
    '5xx',
    'utilisation',
    'queue mean',
    'hit ratio',
  ];
  const rows = Object.entries(input.results.summary).map(([id, m]) => {
    const c = comps[id];
    const statusShare = (test: (code: number) => boolean) => {
      const total = m.completions?.mean ?? 0;
      let n = 0;
      for (const [k, e] of Object.entries(m)) {
        if (k.startsWith('status.') && test(Number(k.slice(7)))) n += e.mean;
      }
      return total > 0 && n > 0 ? pct(n / total) : '–';
    };
    const cells = [
      `<th scope="row">${h(id)}</th>`,
      `<td>${h(c === undefined ? '' : c.replicas > 1 ? `${c.type} ×${c.replicas}` : c.type)}</td>`,
      `<td>${withCi(m.arrivals, (v) => num(v, 4))}</td>`,
      `<td>${withCi(m.throughput, (v) => num(v))}</td>`,
      `<td>${withCi(m['latency.mean'], ms)}</td>`,
      `<td>${withCi(m['latency.p50'], ms)}</td>`,
      `<td>${withCi(m['latency.p99'], ms)}</td>`,
      `<td>${withCi(m['latency.max'], ms)}</td>`,
      `<td>${statusShare((s) => s > 0 && s < 400)}</td>`,
      `<td class="warn">${statusShare((s) => s === 429)}</td>`,
      `<td class="bad">${statusShare((s) => s >= 500)}</td>`,
      // an autoscaled group: over the replicas that were active (all built ones under it)
      m['ratios.activeUtilisation'] === undefined
        ? `<td>${withCi(m.utilisation, pct)}</td>`
        : `<td>${withCi(m['ratios.activeUtilisation'], pct)} <span class="ci">active</span><span class="ci">${pct(m.utilisation?.mean)} of all</span></td>`,
      `<td>${withCi(m['queue.mean'], (v) => num(v))}</td>`,
      `<td>${withCi(m['ratios.hitRatio'], pct)}</td>`,
    ];
    return `<tr data-component="${h(id)}">${cells.join('')}</tr>`;
  });
  return `<div class="scroll"><table class="summary"><thead><tr>${head.map((x) => `<th scope="col">${x}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * One row per variant (scales to many variants), one column per metric: mean [95% CI] and,
 * under it, the paired difference to the baseline with its CI.
 */
export function compareTable(report: ExperimentReport, component: string): string {
  const head = ['variant', ...EXPERIMENT_METRICS.map((m) => h(m.title)), 'pooled p99 (ms)'];
  const fmt = (
    e: { mean: number; lower: number | null; upper: number | null } | undefined,
    scale: number,
    sign = false,
  ) => {
    if (e === undefined) return '–';
    const v = (x: number) => `${sign && x > 0 ? '+' : ''}${num(x * scale)}`;
    return e.lower === null || e.upper === null
      ? v(e.mean)
      : `${v(e.mean)}<span class="ci"> [${num(e.lower * scale)}, ${num(e.upper * scale)}]</span>`;
  };
  const rows = report.cells.map((c) => {
    const name = c.variant ?? 'scenario';
    const base = c.variant !== undefined && c.variant === report.baseline;
    const tds = EXPERIMENT_METRICS.map((m) => {
      const d = c.difference?.metrics[component]?.[m.metric];
      const diff = d === undefined ? '' : `<div class="diff">Δ ${fmt(d, m.scale, true)}</div>`;
      return `<td>${fmt(c.metrics[component]?.[m.metric], m.scale)}${diff}</td>`;
    });
    const label = `${h(name)}${base ? ' <span class="ci">(baseline)</span>' : ''}`;
    return `<tr data-variant="${h(name)}"><th scope="row">${label}</th>${tds.join('')}<td>${ms(c.pooled[component]?.p99)}</td></tr>`;
  });
  const note =
    report.baseline === undefined
      ? ''
      : `<p class="note">Mean over replications [95% CI]; Δ: paired difference to ${h(report.baseline)} (same seeds) with its 95% CI.</p>`;
  return `<div class="scroll"><table class="summary compare"><thead><tr>${head.map((x) => `<th scope="col">${x}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>${note}`;
}

/** Whether a `<x>_us` counter has a sibling event count (`<x>…`, e.g. detections) above 0. */
function countedSibling(
  metrics: Record<string, { mean: number }> | undefined,
  us: string,
): boolean {
  const stem = us.slice(0, -3);
  return Object.entries(metrics ?? {}).some(
    ([k, e]) => k !== us && k.startsWith(stem) && !k.endsWith('_us') && e.mean > 0,
  );
}

/**
 * Per non-client component that counts events (a balancer's failures, retries, detections…):
 * one row per variant, one column per counter, total over the measured run, mean [95% CI].
 * Counters named `*_us` sum microseconds and are shown in seconds.
 */
export function compareCountersTables(report: ExperimentReport, components: readonly string[]) {
  const tables: string[] = [];
  for (const id of components) {
    const names = [
      ...new Set(
        report.cells.flatMap((c) =>
          Object.keys(c.metrics[id] ?? {}).filter((k) => k.startsWith('counters.')),
        ),
      ),
    ].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (names.length === 0) continue;
    const label = (n: string) => {
      const c = n.slice('counters.'.length);
      return c.endsWith('_us') ? `${c.slice(0, -3)} (s)` : c;
    };
    const rows = report.cells.map((c) => {
      const tds = names.map((n) => {
        const e = c.metrics[id]?.[n];
        const us = n.endsWith('_us');
        // a duration never summed while its events were counted (detect_us with detections)
        // was 0 s, not missing
        if (e === undefined)
          return `<td>${us && countedSibling(c.metrics[id], n) ? '0 s' : '–'}</td>`;
        const scale = us ? 1e-6 : 1;
        const unit = us ? ' s' : '';
        const ci =
          e.lower === null || e.upper === null || e.lower === e.upper
            ? ''
            : `<div class="ci">[${num(e.lower * scale)}, ${num(e.upper * scale)}]</div>`;
        return `<td>${num(e.mean * scale)}${unit}${ci}</td>`;
      });
      return `<tr><th scope="row">${h(c.variant ?? 'scenario')}</th>${tds.join('')}</tr>`;
    });
    // break long counter names after '_' so that ten counters fit the page
    const head = ['variant', ...names.map(label)].map(
      (x) => `<th scope="col">${h(x).replaceAll('_', '_<wbr>')}</th>`,
    );
    tables.push(
      `<h3>${h(id)}</h3><div class="scroll"><table class="summary compare" data-counters="${h(id)}"><thead><tr>${head.join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
    );
  }
  return tables.length === 0
    ? ''
    : `${tables.join('')}<p class="note">Totals over the measured run per replication: mean [95% CI]; – the variant never counted it.</p>`;
}
