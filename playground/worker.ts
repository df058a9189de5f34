// The playground's engine worker: loads the scenario text with the page's options as overrides
// (the CLI's own loader), runs replications in slices with progress, or the variants with common
// random numbers (the experiments library), and builds the results JSON, CSV and HTML report
// with the same code as `stacksim run --json`, `--out` and `--report`.

import { resultsJson } from '../cli/commands/run.ts';
import { compareTable } from '../cli/compare-table.ts';
import { timeseriesCsv } from '../cli/csv.ts';
import { compareInput, pooledCdfs } from '../cli/report-experiments.ts';
import { RunCollector, runReportInput } from '../cli/report-io.ts';
import { SimulationError } from '../engine/index.ts';
import { tidyRows, toCsv } from '../experiments/csv.ts';
import type { JobOutput } from '../experiments/job.ts';
import { runJob } from '../experiments/job.ts';
import { planCells } from '../experiments/plan.ts';
import { runCells } from '../experiments/replicate.ts';
import { combineRuns, startReplication } from '../experiments/replications.ts';
import { summarizeCells } from '../experiments/summary.ts';
import type { RunResult } from '../models/scenario/build.ts';
import type { Scenario } from '../models/scenario/format.ts';
import { loadScenarioText } from '../models/scenario/load.ts';
import type { Override } from '../models/scenario/overrides.ts';
import type { ComponentSeries } from '../models/scenario/results.ts';
import { buildReport } from '../report/page.ts';
import { runSummaryTable } from '../report/tables.ts';
import type { RunOptions, RunOutput, RunRequest, WorkerReply } from './protocol.ts';

/** Events per slice between progress messages (as the CLI's progress bar). */
const SLICE_EVENTS = 50_000;

const scope = self as unknown as {
  postMessage(message: WorkerReply): void;
  onmessage: ((event: { data: RunRequest }) => void) | null;
  location: { href: string };
};
const wallClock = () => performance.now() / 1000;
let runtime: Promise<string> | undefined;

/** The report's browser runtime (vega), fetched once from the site folder. */
function reportRuntime(): Promise<string> {
  runtime ??= fetch(new URL('./report-runtime.js', scope.location.href)).then((r) => {
    if (!r.ok) throw new Error(`report-runtime.js: HTTP ${r.status}`);
    return r.text();
  });
  return runtime;
}

/** The CLI's overrides for --seed, --replications and --set run.maxEvents=N. */
export function overridesOf(o: RunOptions): Override[] {
  const out: Override[] = [];
  if (o.seed !== undefined) out.push({ path: 'seed', value: String(o.seed) });
  if (o.replications !== undefined)
    out.push({ path: 'run.replications', value: String(o.replications) });
  if (o.maxEvents !== undefined) out.push({ path: 'run.maxEvents', value: String(o.maxEvents) });
  return out;
}

function simulate(scenario: Scenario, id: number, started: number, html: string): RunOutput {
  const runs: RunResult[] = [];
  const series: ComponentSeries[][] = [];
  const collector = new RunCollector();
  const count = scenario.run.replications;
  for (let i = 0; i < count; i++) {
    const run = startReplication(scenario, i, { wallClock });
    while (!run.advance(SLICE_EVENTS)) {
      const p = run.progress();
      const fraction = (i + (p.end > 0 ? Math.min(1, p.now / p.end) : 0)) / count;
      scope.postMessage({
        kind: 'progress',
        id,
        fraction,
        label: `replication ${i + 1}/${count} · ${(p.now / 1e6).toFixed(1)} of ${(p.end / 1e6).toFixed(1)} s simulated · ${p.events.toLocaleString('en-US')} events`,
      });
    }
    const result = run.finish();
    runs.push(result);
    series.push(run.series());
    collector.add(run);
    if (!result.completed) break;
  }
  const results = combineRuns(scenario, runs);
  const wallSeconds = wallClock() - started;
  const input = runReportInput(scenario, results, series[0] ?? [], collector.json(), undefined);
  return {
    mode: 'run',
    name: scenario.name,
    json: resultsJson(results, wallSeconds),
    csv: timeseriesCsv(series),
    reportHtml: buildReport(input, html).html,
    summaryHtml: runSummaryTable(input),
    events: results.events,
    wallSeconds,
    partial: results.partial,
    stoppedBy: results.stoppedBy,
  };
}

function compare(scenario: Scenario, raw: unknown, id: number, started: number, html: string) {
  const planned = planCells(raw, scenario);
  if (!planned.ok) return planned;
  const experiment = runCells(planned.cells, { crn: true });
  let done = 0;
  let step = experiment.next();
  while (step.done !== true) {
    const outputs: JobOutput[] = [];
    const total = done + step.value.length;
    for (const job of step.value) {
      outputs.push(runJob(job));
      done++;
      scope.postMessage({
        kind: 'progress',
        id,
        fraction: done / total,
        label: `${done} replications done (${planned.cells.length} variants, common random numbers)`,
      });
    }
    step = experiment.next(outputs);
  }
  const run = step.value;
  const report = summarizeCells(scenario.name, run, {
    crn: true,
    ...(scenario.baseline === undefined ? {} : { baseline: scenario.baseline }),
  });
  const input = compareInput({ scenario, raw }, report, pooledCdfs(run), {});
  const metrics = ['latency.mean', 'latency.p50', 'latency.p99', 'throughput', 'errorRatio'];
  const events = run.cells.reduce(
    (s, c) => s + c.outputs.reduce((t, o) => t + o.result.events, 0),
    0,
  );
  const cut = run.cells.flatMap((c) => c.outputs).find((o) => !o.result.completed);
  const output: RunOutput = {
    mode: 'compare',
    name: scenario.name,
    json: `${JSON.stringify(report, null, 2)}\n`,
    csv: toCsv(tidyRows(report)),
    reportHtml: buildReport(input, html).html,
    summaryHtml: '',
    summaryText: compareTable(report, metrics),
    events,
    wallSeconds: wallClock() - started,
    partial: cut !== undefined,
    stoppedBy: cut?.result.stoppedBy ?? 'until',
  };
  return { ok: true as const, output };
}

async function handle(req: RunRequest): Promise<WorkerReply> {
  const loaded = loadScenarioText(req.text, { overrides: overridesOf(req.options) });
  if (!loaded.ok) return { kind: 'invalid', id: req.id, issues: loaded.issues };
  const html = await reportRuntime();
  const started = wallClock();
  try {
    if (req.options.mode === 'run')
      return { kind: 'done', id: req.id, output: simulate(loaded.scenario, req.id, started, html) };
    const c = compare(loaded.scenario, loaded.resolved, req.id, started, html);
    if (!c.ok) return { kind: 'invalid', id: req.id, issues: c.issues };
    return { kind: 'done', id: req.id, output: c.output };
  } catch (error) {
    if (error instanceof SimulationError || error instanceof RangeError)
      return { kind: 'failed', id: req.id, message: error.message };
    throw error;
  }
}

scope.onmessage = (event) => {
  const req = event.data;
  handle(req).then(
    (reply) => scope.postMessage(reply),
    (error: unknown) =>
      scope.postMessage({
        kind: 'failed',
        id: req.id,
        message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
      }),
  );
};
