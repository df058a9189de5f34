import { dirname, resolve } from 'node:path';
import { SimulationError } from '../../engine/index.ts';
import {
  combineRuns,
  type ReplicationResults,
  startReplication,
} from '../../experiments/replications.ts';
import type { RunResult, RunScenarioOptions } from '../../models/scenario/build.ts';
import type { Scenario } from '../../models/scenario/format.ts';
import { type Override, parseOverride } from '../../models/scenario/overrides.ts';
import type { ComponentSeries } from '../../models/scenario/results.ts';
import { TraceInputError } from '../../models/trace/record.ts';
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { timeseriesCsv } from '../csv.ts';
import { EXIT } from '../exit-codes.ts';
import { writeFilesAtomically } from '../io.ts';
import { checkOutputs } from '../out-path.ts';
import { ProgressBar } from '../progress.ts';
import {
  HISTOGRAMS_FILE,
  loadRuntime,
  RunCollector,
  runReportInput,
  traceFiles,
  writeReport,
} from '../report-io.ts';
import { summaryTable } from '../summary.ts';
import { checkReplayTraces, openReplayTraces } from '../trace-replay.ts';
import { loadUserModules } from '../user-modules.ts';
import { scenarioWarnings } from '../warnings.ts';
import { loadScenarioFile, pickVariant } from './load-file.ts';

/** Events per slice between checks for signals and progress redraws. */
const SLICE_EVENTS = 50_000;

const OPTIONS = {
  seed: { kind: 'string' },
  duration: { kind: 'string' },
  replications: { kind: 'string' },
  set: { kind: 'list' },
  out: { kind: 'string', short: 'o' },
  json: { kind: 'boolean' },
  quiet: { kind: 'boolean', short: 'q' },
  report: { kind: 'string' },
  plots: { kind: 'string' },
  'trace-requests': { kind: 'string' },
  variant: { kind: 'string' },
} as const;

function collectOverrides(
  values: ReadonlyMap<string, string>,
  sets: readonly string[],
): Override[] {
  const overrides: Override[] = [];
  for (const text of sets) {
    const o = parseOverride(text);
    if (o === undefined) throw new UsageError(`--set expects path=value, got "${text}"`);
    overrides.push(o);
  }
  const seed = values.get('seed');
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed)) throw new UsageError(`--seed expects a whole number, got "${seed}"`);
    overrides.push({ path: 'seed', value: seed });
  }
  const duration = values.get('duration');
  if (duration !== undefined)
    overrides.push({ path: 'run.duration', value: JSON.stringify(duration) });
  const reps = values.get('replications');
  if (reps !== undefined) {
    if (!/^\d+$/.test(reps))
      throw new UsageError(`--replications expects a whole number, got "${reps}"`);
    overrides.push({ path: 'run.replications', value: reps });
  }
  return overrides;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type Outcome =
  | { kind: 'done'; runs: RunResult[]; series: ComponentSeries[][] }
  | { kind: 'failed'; message: string; bug: boolean }
  | { kind: 'signal'; signal: 'SIGINT' | 'SIGTERM' };

async function simulate(
  scenario: Scenario,
  ctx: CliContext,
  bar: ProgressBar,
  collector: RunCollector,
  traceRequests: number | undefined,
  io: Pick<RunScenarioOptions, 'openTrace' | 'userAlgorithm'>,
): Promise<Outcome> {
  const runs: RunResult[] = [];
  const series: ComponentSeries[][] = [];
  const count = scenario.run.replications;
  let events = 0;
  for (let i = 0; i < count; i++) {
    try {
      const run = startReplication(scenario, i, {
        kinds: ctx.kinds,
        wallClock: ctx.clock,
        ...io,
        ...(traceRequests === undefined || i > 0 ? {} : { traceRequests }),
      });
      while (!run.advance(SLICE_EVENTS)) {
        const p = run.progress();
        bar.update({
          replication: i,
          replications: count,
          now: p.now,
          end: p.end,
          events: events + p.events,
        });
        await yieldToEventLoop();
        if (ctx.signal.received !== undefined)
          return { kind: 'signal', signal: ctx.signal.received };
      }
      const result = run.finish();
      events += result.events;
      runs.push(result);
      series.push(run.series());
      collector.add(run);
      if (!result.completed) break;
    } catch (error) {
      if (error instanceof SimulationError)
        return {
          kind: 'failed',
          message: error.message,
          bug: !(error.cause instanceof TraceInputError),
        };
      if (error instanceof TraceInputError)
        return { kind: 'failed', message: error.message, bug: false };
      if (error instanceof RangeError)
        return { kind: 'failed', message: error.message, bug: false };
      throw error;
    }
  }
  return { kind: 'done', runs, series };
}

/** The results JSON text: the contract of docs/results.md, `wall` last. */
export function resultsJson(results: ReplicationResults, wallSeconds: number): string {
  const wall = {
    seconds: wallSeconds,
    eventsPerSecond: wallSeconds > 0 ? Math.round(results.events / wallSeconds) : 0,
  };
  return `${JSON.stringify({ ...results, wall }, null, 2)}\n`;
}

/** The stderr line saying a file has variants and which one runs (undefined without variants). */
function variantsNote(
  file: string,
  base: Scenario,
  variant: string | undefined,
): string | undefined {
  const names = Object.keys(base.variants ?? {});
  if (names.length === 0) return undefined;
  return variant === undefined
    ? `${file} has variants (${names.join(', ')}); running the base scenario without them (--variant NAME runs one; stacksim compare runs all)\n`
    : `${file}: running variant "${variant}" (variants: ${names.join(', ')})\n`;
}

/** `stacksim run FILE [options]`: runs a scenario and prints or writes its results. */
export async function runCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  if (parsed.positionals.length !== 1) throw new UsageError('run needs exactly one FILE');
  const file = parsed.positionals[0]!;
  const overrides = collectOverrides(parsed.values, parsed.lists.get('set') ?? []);
  const loaded = loadScenarioFile(file, ctx.kinds, overrides);
  if (!loaded.ok) {
    for (const line of loaded.lines) ctx.err(`${line}\n`);
    return EXIT.badInput;
  }
  const picked = pickVariant(loaded.result, parsed.values.get('variant'), ctx.kinds);
  if ('error' in picked) throw new UsageError(picked.error);
  const { scenario, resolved } = picked;
  const variantNote = variantsNote(file, loaded.result.scenario, parsed.values.get('variant'));
  const badTraces = checkReplayTraces(scenario, file);
  if (badTraces.length > 0) {
    for (const line of badTraces) ctx.err(`${line}\n`);
    return EXIT.badInput;
  }
  const modules = await loadUserModules(scenario, file);
  if (!modules.ok) {
    for (const line of modules.lines) ctx.err(`${line}\n`);
    return EXIT.badInput;
  }
  const quiet = parsed.flags.has('quiet');
  const reportFile = parsed.values.get('report');
  checkOutputs(
    { '--out': parsed.values.get('out'), '--plots': parsed.values.get('plots') },
    { '--report': reportFile },
    (message) => new UsageError(message),
  );
  const traceText = parsed.values.get('trace-requests');
  if (traceText !== undefined && !/^[1-9]\d{0,5}$/.test(traceText))
    throw new UsageError(`--trace-requests expects a whole number 1–999999, got "${traceText}"`);
  const traceRequests = traceText === undefined ? undefined : Number(traceText);
  if (
    traceRequests !== undefined &&
    reportFile === undefined &&
    parsed.values.get('out') === undefined
  )
    throw new UsageError(
      '--trace-requests needs --out DIR or --report FILE (where trace.json goes)',
    );
  if (parsed.values.get('plots') !== undefined && reportFile === undefined)
    throw new UsageError('--plots DIR needs --report FILE');
  if (variantNote !== undefined) ctx.err(variantNote);
  for (const line of scenarioWarnings(file, scenario)) ctx.err(`${line}\n`);
  const collector = new RunCollector();
  const bar = new ProgressBar(ctx.errIsTTY && !quiet, ctx.err, ctx.clock);
  const started = ctx.clock();
  const traces = openReplayTraces(file);
  const outcome = await simulate(scenario, ctx, bar, collector, traceRequests, {
    openTrace: traces.open,
    userAlgorithm: modules.lookup,
  }).finally(() => traces.closeAll());
  bar.clear();
  if (outcome.kind === 'signal') {
    ctx.err(`stacksim: interrupted by ${outcome.signal}; no results written\n`);
    return outcome.signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
  }
  if (outcome.kind === 'failed') {
    ctx.err(`${file}: run failed: ${outcome.message}\n`);
    return outcome.bug ? EXIT.runFailure : EXIT.badInput;
  }
  const results = combineRuns(scenario, outcome.runs);
  const json = resultsJson(results, ctx.clock() - started);
  const outDir = parsed.values.get('out');
  if (outDir !== undefined) {
    writeFilesAtomically(outDir, [
      { name: 'scenario.resolved.json', content: `${JSON.stringify(resolved, null, 2)}\n` },
      { name: 'timeseries.csv', content: timeseriesCsv(outcome.series) },
      // only when a report is asked for: a plain --out folder keeps the three contract files
      ...(reportFile === undefined && traceRequests === undefined
        ? []
        : [{ name: HISTOGRAMS_FILE, content: `${JSON.stringify(collector.json())}\n` }]),
      ...(collector.traces === undefined ? [] : traceFiles(collector.traces, scenario.name)),
      { name: 'results.json', content: json },
    ]);
  }
  if (reportFile !== undefined) {
    const { buildReport } = await import('../../report/page.ts');
    const input = runReportInput(
      scenario,
      results,
      outcome.series[0] ?? [],
      collector.json(),
      collector.traces,
      ctx.kinds,
    );
    await writeReport(buildReport(input, loadRuntime()), reportFile, parsed.values.get('plots'));
    if (collector.traces !== undefined && outDir === undefined)
      writeFilesAtomically(
        dirname(resolve(reportFile)),
        traceFiles(collector.traces, scenario.name),
      );
  }
  if (parsed.flags.has('json')) ctx.out(json);
  else if (!quiet) ctx.out(summaryTable(results));
  if (results.partial) {
    ctx.err(`stacksim: stopped by the ${results.stoppedBy} budget; results are partial\n`);
    return EXIT.budget;
  }
  return EXIT.ok;
}
