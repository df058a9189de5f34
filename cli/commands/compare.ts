import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { tidyRows, toCsv } from '../../experiments/csv.ts';
import { planCells } from '../../experiments/plan.ts';
import { runCells } from '../../experiments/replicate.ts';
import { steadyState } from '../../experiments/steady-run.ts';
import { summarizeCells } from '../../experiments/summary.ts';
import { formatIssue } from '../../models/scenario/issues.ts';
import { compareTable } from '../compare-table.ts';
import { checkOutputs } from '../out-path.ts';
import { drive } from '../pool.ts';
import { writeCompareOutputs } from '../report-experiments.ts';
import {
  type CommandIo,
  commandError,
  EXIT_OK,
  EXIT_USAGE,
  intOption,
  loadFor,
  makeExecutor,
  parseOptions,
  progress,
  UsageError,
} from './experiment-io.ts';
import { unknownMetrics } from './metric-names.ts';

/** Usage text of `stacksim compare`. */
export const COMPARE_USAGE = `usage: stacksim compare SCENARIO [options]
Runs every variant of the scenario with the same replication seeds (common random numbers) and
prints each metric side by side with the paired difference to the baseline and its 95% CI.
  --replications N   replications per variant (default: run.replications; run.precision wins)
  --workers N        worker threads (default: number of cores; 1 runs on this thread)
  --metrics a,b      metrics to print (default: latency.mean,latency.p50,latency.p99,throughput,errorRatio)
  --no-crn           independent streams per variant (for comparison; wider intervals)
  --batch-means N    instead: one long run per variant, N batch means of the entry latency
  --json             print the full report as JSON      --csv FILE   write tidy rows as CSV
  --set path=value   override a scenario value (repeatable)
  --out DIR          write DIR/compare.json (report + pooled CDFs) and DIR/scenario.resolved.json
  --report FILE      write an HTML report (docs/reports.md)   --plots DIR  each chart as SVG
  --queue URL        run the jobs on \`stacksim worker\`s via Redis (redis://HOST:PORT; docs/distributed.md)
  --chunk N          with --queue: replications per queued job (default 1)   --detach  submit, print the id`;

const DEFAULT_METRICS = ['latency.mean', 'latency.p50', 'latency.p99', 'throughput', 'errorRatio'];

/** Number formatting for tables: 4 significant digits. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  return Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** `stacksim compare`: variants side by side with paired differences (exit 0/1/2). */
export async function compareCommand(args: string[], io: CommandIo): Promise<number> {
  let closeExec: (() => Promise<void>) | undefined;
  try {
    const o = parseOptions(
      args,
      ['no-crn', 'json', 'help', 'detach'],
      [
        'replications',
        'workers',
        'metrics',
        'csv',
        'batch-means',
        'out',
        'report',
        'plots',
        'queue',
        'chunk',
      ],
    );
    if (o.flags.has('help')) {
      io.stdout(`${COMPARE_USAGE}\n`);
      return EXIT_OK;
    }
    const at = (name: string) => {
      const v = o.values.get(name);
      return v === undefined ? undefined : resolve(io.cwd, v);
    };
    checkOutputs(
      { '--out': at('out'), '--plots': at('plots') },
      { '--csv': at('csv'), '--report': at('report') },
      (message) => new UsageError(message),
    );
    const loaded = loadFor(o, io);
    if (!loaded.ok) return EXIT_USAGE;
    const planned = planCells(
      loaded.raw,
      loaded.scenario,
      io.kinds === undefined ? {} : { kinds: io.kinds },
    );
    if (!planned.ok) {
      for (const i of planned.issues) io.stderr(`${formatIssue(loaded.file, i)}\n`);
      return EXIT_USAGE;
    }
    const crn = !o.flags.has('no-crn');
    const { exec, workers, close } = makeExecutor(o, io, { command: 'compare', raw: loaded.raw });
    closeExec = close;
    const bar = progress(io, 'replications');
    const counted = (jobs: Parameters<typeof exec>[0], onDone?: Parameters<typeof exec>[1]) => {
      bar.add(jobs.length);
      return exec(jobs, onDone);
    };
    if (o.values.has('batch-means')) {
      const batches = intOption(o, 'batch-means', 20);
      const results = await drive(steadyState(planned.cells, { batches }), counted, () =>
        bar.tick(),
      );
      bar.end();
      if (o.flags.has('json')) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
      else {
        for (const r of results) {
          const e = r.estimate;
          io.stdout(
            `${r.variant ?? 'scenario'}: ${r.component} ${r.metric} ${fmt(e.mean)} [${fmt(e.lower)}, ${fmt(e.upper)}] · ${e.batches} batches of ${e.batchSize} windows · ${e.note}\n`,
          );
        }
      }
      return EXIT_OK;
    }
    const replications = o.values.has('replications') ? intOption(o, 'replications', 1) : undefined;
    const run = await drive(
      runCells(planned.cells, {
        crn,
        batch: workers,
        ...(replications === undefined ? {} : { replications }),
      }),
      counted,
      () => bar.tick(),
    );
    bar.end();
    const report = summarizeCells(loaded.scenario.name, run, {
      crn,
      ...(loaded.scenario.baseline === undefined ? {} : { baseline: loaded.scenario.baseline }),
    });
    // checked before anything is written: a misspelt --metrics name is a usage error (exit 2)
    // (only names the user gave: a default metric a run does not produce is left out quietly,
    // e.g. errorRatio when no component answered an error)
    const given = o.values.get('metrics')?.split(',');
    const unknown = given === undefined ? undefined : unknownMetrics(report, given);
    if (unknown !== undefined) throw new UsageError(unknown);
    const metrics = given ?? DEFAULT_METRICS;
    const csv = o.values.get('csv');
    if (csv !== undefined) writeAtomic(resolve(io.cwd, csv), toCsv(tidyRows(report)));
    await writeCompareOutputs(o, io, loaded, report, run);
    if (o.flags.has('json')) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return EXIT_OK;
    }
    const r = report.cells[0]?.replications ?? 0;
    const precision =
      report.precision === undefined
        ? ''
        : ` (precision target ${report.precision.met ? 'met' : 'NOT met'})`;
    io.stdout(
      `${report.scenario}: ${r} replications per variant${precision}, ${crn ? 'common random numbers' : 'independent streams'}${report.baseline === undefined ? '' : `, baseline ${report.baseline}`}; mean [95% CI]\n`,
    );
    for (const c of report.cells) {
      if (c.warmup !== undefined)
        io.stdout(
          `${c.variant ?? 'scenario'}: warm-up ${c.warmup.warmup}s chosen by MSER-5 on ${c.warmup.component} ${c.warmup.metric}\n`,
        );
    }
    io.stdout(compareTable(report, metrics));
    return EXIT_OK;
  } catch (e) {
    return commandError('compare', e, io);
  } finally {
    await closeExec?.();
  }
}
