// Time to build an HTML report of a 1-hour run with per-second series (3 600 windows per
// component), and its size. Run: node scripts/run-ts.mjs bench/html-report.ts
// (bench/report.ts already holds the benchmark page writer, hence this file name).
import { readFileSync } from 'node:fs';
import { RunCollector, runReportInput } from '../cli/report-io.ts';
import { combineRuns, startReplication } from '../experiments/replications.ts';
import { idHash, type KeptTrace } from '../models/core/trace-collector.ts';
import { loadScenarioText } from '../models/scenario/load.ts';
import type { ComponentSeries } from '../models/scenario/results.ts';
import type { RunReportInput } from '../report/types.ts';

/** One measured figure. */
export interface BenchRow {
  readonly name: string;
  readonly unit: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

const WINDOWS = 3600;

/**
 * A run report input for a 1-hour run: the results, histograms and traces of a short real run of
 * scenarios/checkout.json, with synthetic per-second series of 3 600 windows for every component
 * (all the metrics a probe records, plus hit/miss and replica counters) and a fault timeline.
 */
export function longRunInput(root = '.'): RunReportInput {
  const text = readFileSync(`${root}/scenarios/checkout.json`, 'utf8');
  const loaded = loadScenarioText(text, {
    overrides: [
      { path: 'run.duration', value: '"2s"' },
      { path: 'run.warmup', value: '"1s"' },
      {
        path: 'timeline',
        value: JSON.stringify([
          { action: 'crash', at: '10m', target: 'app', for: '5m' },
          { action: 'load', at: '30m', target: 'shoppers', factor: 2, for: '10m' },
        ]),
      },
    ],
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const run = startReplication(loaded.scenario, 0, { traceRequests: 40 });
  const result = run.finish();
  const collector = new RunCollector();
  collector.add(run);
  const results = combineRuns(loaded.scenario, [result]);
  const wave = (i: number, k: number) =>
    1 + 0.3 * Math.sin(i / 60 + k) + (idHash(i * 31 + k) % 100) / 500;
  const series: ComponentSeries[] = Object.keys(result.components).map((component, k) => {
    const completions = Array.from({ length: WINDOWS }, (_, i) => Math.round(2000 * wave(i, k)));
    const metrics: Record<string, number[]> = {
      arrivals: completions.map((c) => c + 3),
      completions,
      ok: completions.map((c) => Math.round(c * 0.95)),
      rejected429: completions.map((c) => Math.round(c * 0.02)),
      errors5xx: completions.map((c) => Math.round(c * 0.02)),
      latencyMean: completions.map((_, i) => 0.02 * wave(i, k + 1)),
      latencyMax: completions.map((_, i) => 0.2 * wave(i, k + 2)),
      'counter.hits': completions.map((c, i) => Math.round(c * 0.7 * wave(i, k))),
      'counter.misses': completions.map((c) => Math.round(c * 0.3)),
      'counter.replicas': completions.map((_, i) => (i === 0 ? 4 : i % 600 === 0 ? 1 : 0)),
    };
    return { component, start: 0, window: 1, metrics };
  });
  const base = runReportInput(
    loaded.scenario,
    results,
    series,
    collector.json(),
    collector.traces as KeptTrace[],
  );
  return { ...base, info: { ...base.info, duration: WINDOWS - 1, warmup: 1 } };
}

/** Median, min and max wall time of building the report HTML, and its size. */
export async function measureReport(runs = 5): Promise<BenchRow[]> {
  const { buildReport } = await import('../report/page.ts');
  const { loadRuntime } = await import('../cli/report-io.ts');
  const runtime = loadRuntime();
  const input = longRunInput();
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    size = buildReport(input, runtime).html.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = (v: number) => Number(v.toFixed(1));
  return [
    {
      name: 'HTML report of a 1-hour run (3 600 windows × every component)',
      unit: 'ms',
      median: ms(times[Math.floor(runs / 2)]!),
      min: ms(times[0]!),
      max: ms(times[runs - 1]!),
      runs,
    },
    { name: 'report size', unit: 'bytes', median: size, min: size, max: size, runs },
  ];
}

if (process.argv[1]?.includes('script') || process.argv[1]?.endsWith('html-report.ts')) {
  for (const row of await measureReport()) console.log(JSON.stringify(row));
}
