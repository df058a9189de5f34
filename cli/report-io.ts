import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LatencyHistogram, type LatencyHistogramJson } from '../engine/index.ts';
import type { ReplicationResults } from '../experiments/replications.ts';
import type { ComponentKind } from '../models/core/component.ts';
import type { KeptTrace } from '../models/core/trace-collector.ts';
import { COMPONENT_KINDS } from '../models/registry.ts';
import type { ScenarioRun } from '../models/scenario/build.ts';
import { groupByComponent } from '../models/scenario/build.ts';
import type { Scenario } from '../models/scenario/format.ts';
import type { ComponentSeries } from '../models/scenario/results.ts';
import { faultMarks, stackGraph } from '../report/graph.ts';
import type { Report } from '../report/page.ts';
import { chromeTrace, otelTrace } from '../report/traces.ts';
import type { CdfByComponent, RunReportInput, ScenarioInfo } from '../report/types.ts';
import { writeFilesAtomically } from './io.ts';

/** File name of the merged latency histograms a run writes next to results.json. */
export const HISTOGRAMS_FILE = 'latency-histograms.json';

/** The bundled browser runtime (dist/report-runtime.js, built by build.mjs). */
export function loadRuntime(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, 'report-runtime.js'),
    join(here, '..', 'dist', 'report-runtime.js'),
    join(process.cwd(), 'dist', 'report-runtime.js'),
  ];
  for (const candidate of candidates) {
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
  }
  throw new Error('dist/report-runtime.js is missing: run `npm run build` first');
}

/** Scenario facts for a report header. */
export function scenarioInfo(scenario: Scenario, replications: number): ScenarioInfo {
  return {
    name: scenario.name,
    ...(scenario.description === undefined ? {} : { description: scenario.description }),
    seed: scenario.seed,
    duration: scenario.run.duration / 1e6,
    warmup: scenario.run.warmup / 1e6,
    replications,
    window: scenario.run.window / 1e6,
  };
}

/** Accumulates what a run report needs from each finished replication (histograms, traces). */
export class RunCollector {
  readonly histograms = new Map<string, LatencyHistogram>();
  traces: KeptTrace[] | undefined;

  /** Merges replication `run`'s latency histograms; keeps replication 0's traces. */
  add(run: ScenarioRun): void {
    for (const [id, probes] of groupByComponent(run.built.probes)) {
      const h = this.histograms.get(id) ?? new LatencyHistogram();
      for (const p of probes) h.merge(p.latency);
      this.histograms.set(id, h);
    }
    this.traces ??= run.built.tracer?.kept();
  }

  /** The merged histograms as JSON (per component id). */
  json(): Record<string, LatencyHistogramJson> {
    return Object.fromEntries([...this.histograms].map(([id, h]) => [id, h.toJSON()]));
  }
}

/** CDF points in seconds per component from histograms (µs). */
export function cdfOf(histograms: Readonly<Record<string, LatencyHistogramJson>>): CdfByComponent {
  const out: Record<string, [number, number][]> = {};
  for (const [id, json] of Object.entries(histograms)) {
    out[id] = LatencyHistogram.fromJSON(json)
      .cdf()
      .map(([v, p]) => [v / 1e6, p]);
  }
  return out;
}

/** The input of a run report. */
export function runReportInput(
  scenario: Scenario,
  results: ReplicationResults,
  series: readonly ComponentSeries[],
  histograms: Readonly<Record<string, LatencyHistogramJson>>,
  traces: readonly KeptTrace[] | undefined,
  kinds: readonly ComponentKind[] = COMPONENT_KINDS,
): RunReportInput {
  return {
    kind: 'run',
    info: scenarioInfo(scenario, results.replications),
    results,
    series,
    cdf: cdfOf(histograms),
    graph: stackGraph(scenario, kinds),
    faults: faultMarks(scenario),
    ...(traces === undefined ? {} : { traces }),
  };
}

/** trace.json (Chrome trace events) and otel.json (OTLP JSON) for the kept requests. */
export function traceFiles(traces: readonly KeptTrace[], scenario: string) {
  return [
    { name: 'trace.json', content: `${JSON.stringify(chromeTrace(traces, scenario))}\n` },
    { name: 'otel.json', content: `${JSON.stringify(otelTrace(traces, scenario))}\n` },
  ];
}

/** Writes the report HTML and, with `plotsDir`, every chart as an SVG file (rendered headlessly). */
export async function writeReport(
  report: Report,
  file: string,
  plotsDir: string | undefined,
): Promise<void> {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, report.html);
  renameSync(`${path}.tmp`, path);
  if (plotsDir !== undefined) {
    const { chartSvgs } = await import('../report/plots.ts');
    const svgs = await chartSvgs(report.charts);
    writeFilesAtomically(
      resolve(plotsDir),
      svgs.map((s) => ({ name: `${s.id.replace(/[^A-Za-z0-9._-]/g, '_')}.svg`, content: s.svg })),
    );
  }
}

/** Parses timeseries.csv back into per-replication component series. */
export function parseTimeseriesCsv(text: string): ComponentSeries[][] {
  const reps: Map<string, { start: number; window: number; metrics: Map<string, number[]> }>[] = [];
  const lines = text.split('\n');
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const cells = splitCsv(line);
    const [rep, component, start, end, metric, value] = cells;
    if (value === undefined) continue;
    const r = Number(rep);
    reps[r] ??= new Map();
    const comps = reps[r]!;
    const id = unquoteFormula(component!);
    let c = comps.get(id);
    if (c === undefined) {
      c = { start: Number(start), window: Number(end) - Number(start), metrics: new Map() };
      comps.set(id, c);
    }
    const name = unquoteFormula(metric!);
    const arr = c.metrics.get(name) ?? [];
    arr[Math.round((Number(start) - c.start) / c.window)] = Number(value);
    c.metrics.set(name, arr);
  }
  return reps.map((comps) =>
    [...comps].map(([component, c]) => ({
      component,
      start: c.start,
      window: c.window,
      metrics: Object.fromEntries(
        [...c.metrics].map(([k, v]) => [k, Array.from(v, (x) => x ?? 0)]),
      ),
    })),
  );
}

function unquoteFormula(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let j = i + 1;
      let text = '';
      while (j < line.length) {
        if (line[j] === '"' && line[j + 1] === '"') {
          text += '"';
          j += 2;
        } else if (line[j] === '"') break;
        else text += line[j++];
      }
      out.push(text);
      i = j + 2;
    } else {
      const k = line.indexOf(',', i);
      const end = k < 0 ? line.length : k;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}
