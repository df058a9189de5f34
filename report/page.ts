import type { ChartDef } from './chart.ts';
import { type CompiledChart, compileChart } from './compile.ts';
import {
  concurrencyChart,
  hitRatioChart,
  queueChart,
  replicasChart,
  utilisationChart,
} from './component-charts.ts';
import { counterCharts } from './counter-charts.ts';
import { escapeHtml as h, jsonForScript, num } from './escape.ts';
import { compareCharts, entryComponent, sweepCharts } from './experiment-charts.ts';
import { stackSvg } from './graph.ts';
import {
  breakdownChart,
  cdfChart,
  clientIds,
  latencyChart,
  throughputChart,
} from './run-charts.ts';
import { STYLE } from './style.ts';
import { compareCountersTables, compareTable, headlineList, runSummaryTable } from './tables.ts';
import { waterfallChart } from './traces.ts';
import type { ReportInput, RunReportInput } from './types.ts';

/** A section of the page: a heading, optional HTML, and charts. */
interface Section {
  readonly id: string;
  readonly title: string;
  readonly html?: string;
  readonly charts: readonly ChartDef[];
  readonly wide?: boolean;
}

const present = <T>(xs: readonly (T | undefined)[]): T[] =>
  xs.filter((x): x is T => x !== undefined);

function runSections(input: RunReportInput): Section[] {
  const clients = clientIds(input);
  const cdf = Object.fromEntries(Object.entries(input.cdf).filter(([, p]) => p.length > 0));
  const sections: Section[] = [
    {
      id: 'summary',
      title: 'Summary per component',
      html: `${headlineList(input)}${runSummaryTable(input)}`,
      charts: [],
    },
    {
      id: 'clients',
      title: 'What the clients saw',
      charts: present(
        clients.flatMap((id) => [
          latencyChart(input, id),
          throughputChart(input, id),
          breakdownChart(input, id),
        ]),
      ),
    },
    {
      id: 'distribution',
      title: 'Latency distribution',
      charts:
        Object.keys(cdf).length === 0
          ? []
          : [
              cdfChart(
                'cdf',
                'Latency CDF per component',
                cdf,
                'Time spent inside each component (for a client: end to end), all replications pooled; log x.',
              ),
            ],
    },
    {
      id: 'components',
      title: 'Components',
      charts: present([
        concurrencyChart(input),
        utilisationChart(input),
        queueChart(input),
        hitRatioChart(input),
        replicasChart(input),
      ]),
    },
    { id: 'counters', title: 'Component counters over time', charts: counterCharts(input) },
  ];
  if (input.traces !== undefined) {
    sections.push({
      id: 'traces',
      title: 'Request timelines',
      charts: present([waterfallChart(input.traces)]),
    });
  }
  return sections;
}

function sectionsOf(input: ReportInput): Section[] {
  if (input.kind === 'run') return runSections(input);
  if (input.kind === 'compare') {
    const id = entryComponent(input.graph, input.report);
    const charts = compareCharts(input);
    return [
      {
        id: 'variants',
        title: `Variants at ${id ?? '?'}`,
        html: id === undefined ? '' : compareTable(input.report, id),
        charts: [],
      },
      {
        id: 'bars',
        title: 'Means with 95% confidence intervals',
        charts: charts.filter((c) => c.id !== 'compare-cdf'),
        wide: false,
      },
      {
        id: 'distribution',
        title: 'Latency distribution',
        charts: charts.filter((c) => c.id === 'compare-cdf'),
      },
      {
        id: 'counters',
        title: 'Counters per variant',
        html: compareCountersTables(
          input.report,
          input.graph.nodes.filter((n) => !n.type.startsWith('client.')).map((n) => n.id),
        ),
        charts: [],
      },
    ];
  }
  const charts = sweepCharts(input);
  return [
    {
      id: 'sweep',
      title: `Sweep over ${input.parameters.join(', ')}`,
      charts: charts.filter((c) => c.id.startsWith('sweep-')),
      wide: false,
    },
    {
      id: 'capacity',
      title: 'Capacity search',
      charts: charts.filter((c) => c.id.startsWith('capacity-')),
    },
  ];
}

function figure(c: ChartDef): string {
  return (
    `<figure class="chart" id="chart-${h(c.id)}" data-chart="${h(c.id)}" data-series="${h(JSON.stringify(c.series))}">` +
    `<figcaption>${h(c.title)}</figcaption><div class="view"></div>` +
    (c.note === undefined ? '' : `<p class="note">${h(c.note)}</p>`) +
    '</figure>'
  );
}

function header(input: ReportInput): string {
  const i = input.info;
  const kind = input.kind === 'run' ? 'run' : input.kind === 'compare' ? 'comparison' : 'sweep';
  const meta: [string, string][] = [
    ['report', kind],
    ['seed', String(i.seed)],
    ['duration', `${num(i.duration)} s measured`],
    ['warm-up', `${num(i.warmup)} s`],
    ['replications', String(i.replications)],
    ['window', `${num(i.window)} s`],
  ];
  if (input.kind === 'run') {
    meta.push(['events', input.results.events.toLocaleString('en-US')]);
    if (input.results.partial)
      meta.push(['status', `partial (stopped by ${input.results.stoppedBy})`]);
  }
  return (
    `<header><p class="kicker">stacksim ${h(kind)} report</p><h1>${h(i.name)}</h1>` +
    (i.description === undefined ? '' : `<p class="desc">${h(i.description)}</p>`) +
    `<dl class="meta">${meta.map(([k, v]) => `<div><dt>${h(k)}</dt><dd>${h(v)}</dd></div>`).join('')}</dl></header>`
  );
}

/** A generated report: the HTML page and its compiled charts (for --plots). */
export interface Report {
  readonly html: string;
  readonly charts: readonly CompiledChart[];
}

/**
 * Builds a self-contained HTML report: `runtime` is the bundled browser script (vega) that is
 * inlined; data and specs are inline JSON blocks; a Content-Security-Policy forbids any fetch.
 */
export function buildReport(input: ReportInput, runtime: string): Report {
  const sections = sectionsOf(input);
  const charts = sections.flatMap((s) => s.charts.map(compileChart));
  const specs = Object.fromEntries(charts.map((c) => [c.id, c.vega]));
  const nav = sections
    .filter((s) => s.charts.length > 0 || (s.html ?? '') !== '')
    .map((s) => `<a href="#${s.id}">${h(s.title)}</a>`)
    .join('');
  const body = sections
    .filter((s) => s.charts.length > 0 || (s.html ?? '') !== '')
    .map(
      (s) =>
        `<section id="${s.id}"><h2>${h(s.title)}</h2>${s.html ?? ''}` +
        (s.charts.length === 0
          ? ''
          : `<div class="${s.wide === false ? 'grid' : 'stack'}">${s.charts.map(figure).join('')}</div>`) +
        '</section>',
    )
    .join('\n');
  const graph =
    `<section id="stack-diagram"><h2>Stack</h2><div class="scroll">${stackSvg(input.graph)}</div>` +
    (input.graph.links.length === 0
      ? ''
      : `<p class="note">Network links: ${input.graph.links.map((l) => h(`${l.between[0]} ↔ ${l.between[1]} (${l.label})`)).join('; ')}.</p>`) +
    '</section>';
  const csp =
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`stacksim report: ${input.info.name}`)}</title>
<style>${STYLE}</style></head>
<body><main>
${header(input)}
<nav>${nav}</nav>
${graph}
${body}
<footer>Generated by stacksim from simulated results: times are simulated seconds. Long series are aggregated into at most 600 buckets (counts summed, maxima kept, means weighted by completions).</footer>
</main>
<script type="application/json" id="stacksim-specs">${jsonForScript(specs)}</script>
<script>${runtime.replaceAll('</script', '<\\/script')}</script>
</body></html>
`;
  return { html, charts };
}
