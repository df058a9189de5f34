// Renders a finished run in the page: headline figures (whatever the results carry), the
// report's own summary table, downloads, and the full HTML report in a sandboxed frame.
import type { RunOutput } from './protocol.ts';

const fmt = (v: unknown): string => {
  if (typeof v === 'number')
    return Math.abs(v) >= 1000 || Number.isInteger(v)
      ? v.toLocaleString('en-US', { maximumFractionDigits: 0 })
      : String(Number(v.toPrecision(4)));
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
};

/** Label/value pairs of a headline in any of the shapes a results file may hold it. */
export function headlineItems(headline: unknown): [string, string][] {
  if (Array.isArray(headline)) {
    return headline.map((h, i) => {
      if (h !== null && typeof h === 'object') {
        const o = h as Record<string, unknown>;
        const label = o.label ?? o.name ?? o.metric ?? `#${i + 1}`;
        const value = o.text ?? o.value ?? o.mean;
        const unit = typeof o.unit === 'string' && o.text === undefined ? ` ${o.unit}` : '';
        return [String(label), `${fmt(value)}${unit}`];
      }
      return [`#${i + 1}`, fmt(h)];
    });
  }
  if (headline !== null && typeof headline === 'object')
    return Object.entries(headline as Record<string, unknown>).map(([k, v]) => [k, fmt(v)]);
  return [];
}

function el(tag: string, text: string, attrs: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** The headline of a results object: results.headline, else results.report.headline. */
export function headlineOf(results: Record<string, unknown>): unknown {
  const report = results.report as Record<string, unknown> | undefined;
  return results.headline ?? report?.headline;
}

/** Fills the results panel for `out`. */
export function showResults(out: RunOutput): void {
  const headline = document.getElementById('headline')!;
  headline.replaceChildren();
  const dl = document.createElement('dl');
  dl.setAttribute('aria-label', 'Headline figures');
  const items: [string, string][] = [];
  if (out.mode === 'run') {
    const results = JSON.parse(out.json) as Record<string, unknown>;
    items.push(...headlineItems(headlineOf(results)));
  }
  items.push(
    ['events', fmt(out.events)],
    ['wall clock', `${out.wallSeconds.toFixed(2)} s`],
    ['events/s', fmt(out.wallSeconds > 0 ? Math.round(out.events / out.wallSeconds) : 0)],
  );
  if (out.partial) items.push(['status', `partial: stopped by ${out.stoppedBy}`]);
  for (const [k, v] of items) {
    const d = document.createElement('div');
    d.append(el('dt', k), el('dd', v, { 'data-figure': k }));
    dl.append(d);
  }
  headline.append(dl);
  const summary = document.getElementById('summary')!;
  // summaryHtml comes from report/tables.ts, which escapes every value it prints
  if (out.summaryText !== undefined) summary.replaceChildren(el('pre', out.summaryText));
  else summary.innerHTML = out.summaryHtml;
  const frame = document.getElementById('report') as HTMLIFrameElement;
  frame.srcdoc = out.reportHtml;
  const base = out.name.replace(/[^A-Za-z0-9._-]/g, '_') || 'scenario';
  const kind = out.mode === 'run' ? 'results' : 'compare';
  bind('dl-json', `${base}-${kind}.json`, out.json, 'application/json');
  bind(
    'dl-csv',
    `${base}-${out.mode === 'run' ? 'timeseries' : 'compare'}.csv`,
    out.csv,
    'text/csv',
  );
  bind('dl-html', `${base}-report.html`, out.reportHtml, 'text/html');
  document.getElementById('results')!.hidden = false;
}

function bind(id: string, name: string, content: string, type: string): void {
  const button = document.getElementById(id) as HTMLButtonElement;
  button.onclick = () => {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
}
