import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hashString } from '../../engine/index.ts';
import {
  type CapacityResult,
  capacityEvaluator,
  capacitySearch,
} from '../../experiments/capacity.ts';
import { tidyRows, toCsv } from '../../experiments/csv.ts';
import { type Cell, planCells, sweepGrid } from '../../experiments/plan.ts';
import { runCells } from '../../experiments/replicate.ts';
import {
  type CellSummary,
  EXPERIMENT_FORMAT,
  type ExperimentReport,
  summarizeCells,
} from '../../experiments/summary.ts';
import { formatIssue } from '../../models/scenario/issues.ts';
import { checkOutputs } from '../out-path.ts';
import { drive, type Executor } from '../pool.ts';
import { writeSweepOutputs } from '../report-experiments.ts';
import { fmt } from './compare.ts';
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

/** Usage text of `stacksim sweep`. */
export const SWEEP_USAGE = `usage: stacksim sweep SCENARIO --out DIR [options]
Runs the scenario's \`sweep\` grid (× its variants), replications at every point, and writes
DIR/point-NNNN.json as each point finishes, then DIR/sweep.csv (tidy rows) and DIR/sweep.json.
  --resume           keep points already in DIR (same scenario) and run the rest
  --capacity         instead: bisection for the scenario's \`capacity\` block → DIR/capacity.json
  --with-sweep       with --capacity: run the sweep grid first as well (DIR/sweep.csv)
  --replications N   replications per point (default: run.replications; run.precision wins)
  --workers N        worker threads (default: number of cores; 1 runs on this thread)
  --no-crn           independent streams per variant
  --set path=value   override a scenario value (repeatable)
  --report FILE      also write an HTML report (docs/reports.md)   --plots DIR  each chart as SVG
  --queue URL        run the jobs on \`stacksim worker\`s via Redis (redis://HOST:PORT; docs/distributed.md)
  --chunk N          with --queue: replications per queued job (default 1)   --detach  submit, print the id`;

/** Format tag of a point file. */
export const POINT_FORMAT = 'stacksim.sweep-point/1';

interface PointFile {
  readonly format: string;
  readonly point: number;
  readonly hash: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly cells: readonly CellSummary[];
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** point-0007.json (at least 4 digits). */
export function pointFileName(index: number, total: number): string {
  return `point-${String(index).padStart(Math.max(4, String(total - 1).length), '0')}.json`;
}

function pointHash(cells: readonly Cell[], settings: unknown): string {
  const text = JSON.stringify({ raws: cells.map((c) => c.raw), settings });
  return hashString(text).toString(16).padStart(8, '0') + String(text.length);
}

async function runCapacity(
  o: ReturnType<typeof parseOptions>,
  io: CommandIo,
  exec: Executor,
  loaded: { scenario: any; raw: unknown },
  out: string | undefined,
  report: ExperimentReport | undefined,
): Promise<number> {
  const scenario = loaded.scenario;
  if (scenario.capacity === undefined) throw new UsageError('the scenario has no "capacity" block');
  const bar = progress(io, 'capacity jobs');
  const counted: Executor = (jobs, onDone) => {
    bar.add(jobs.length);
    return exec(jobs, onDone);
  };
  const result = await drive(
    capacitySearch(scenario.capacity, capacityEvaluator(loaded.raw, scenario, io.kinds)),
    counted,
    () => bar.tick(),
  );
  bar.end();
  if (out !== undefined)
    writeAtomic(join(out, 'capacity.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeSweepOutputs(o, io, loaded, out, {
    capacity: result,
    ...(report === undefined ? {} : { report }),
  });
  if (o.flags.has('json')) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    io.stdout(`${capacityHeadline(result)}\n`);
    for (const p of result.probes) {
      const checks = p.objectives
        .map(
          (c) =>
            `${c.component} ${c.metric} ${fmt(c.mean)} [${fmt(c.lower)}, ${fmt(c.upper)}] ≤ ${fmt(c.max)}`,
        )
        .join('; ');
      io.stdout(`  ${String(p.text)}: ${p.pass ? 'pass' : 'FAIL'} · ${checks}\n`);
    }
  }
  return EXIT_OK;
}

/** Runs the sweep grid into DIR (point files, sweep.csv, sweep.json); an exit code on bad input. */
async function runGrid(
  o: ReturnType<typeof parseOptions>,
  io: CommandIo,
  exec: Executor,
  workers: number,
  loaded: { scenario: any; raw: unknown; file: string },
  out: string | undefined,
): Promise<ExperimentReport | number> {
  if (out === undefined) throw new UsageError('--out DIR is required');
  if (loaded.scenario.sweep === undefined)
    throw new UsageError('the scenario has no "sweep" block');
  const planned = planCells(loaded.raw, loaded.scenario, {
    sweep: true,
    ...(io.kinds === undefined ? {} : { kinds: io.kinds }),
  });
  if (!planned.ok) {
    for (const i of planned.issues) io.stderr(`${formatIssue(loaded.file, i)}\n`);
    return EXIT_USAGE;
  }
  const total = sweepGrid(loaded.scenario.sweep).length;
  const perPoint = planned.cells.length / total;
  const crn = !o.flags.has('no-crn');
  const replications = o.values.has('replications') ? intOption(o, 'replications', 1) : undefined;
  const settings = { crn, replications: replications ?? null };
  const results: (readonly CellSummary[] | undefined)[] = new Array(total).fill(undefined);
  const todo: number[] = [];
  for (let p = 0; p < total; p++) {
    const cells = planned.cells.slice(p * perPoint, (p + 1) * perPoint);
    const file = join(out, pointFileName(p, total));
    if (!existsSync(file)) {
      todo.push(p);
      continue;
    }
    if (!o.flags.has('resume'))
      throw new UsageError(`${file} exists; use --resume or an empty folder`);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as PointFile;
    if (saved.format !== POINT_FORMAT || saved.hash !== pointHash(cells, settings)) {
      throw new UsageError(
        `${file} was written for a different scenario or settings; use a new folder`,
      );
    }
    results[p] = saved.cells;
  }
  const bar = progress(io, 'sweep points');
  bar.add(todo.length);
  const baseline = loaded.scenario.baseline;
  const runPoint = async (p: number) => {
    const cells = planned.cells.slice(p * perPoint, (p + 1) * perPoint);
    const run = await drive(
      runCells(cells, {
        crn,
        batch: workers,
        ...(replications === undefined ? {} : { replications }),
      }),
      exec,
    );
    const summary = summarizeCells(loaded.scenario.name, run, {
      crn,
      ...(baseline === undefined ? {} : { baseline }),
    });
    const file: PointFile = {
      format: POINT_FORMAT,
      point: p,
      hash: pointHash(cells, settings),
      params: cells[0]!.params,
      cells: summary.cells,
    };
    writeAtomic(join(out, pointFileName(p, total)), `${JSON.stringify(file, null, 2)}\n`);
    results[p] = JSON.parse(JSON.stringify(summary.cells)) as CellSummary[];
    bar.tick();
  };
  // a few points in flight keep every worker busy; each point's result does not depend on it
  let next = 0;
  const lanes = Array.from(
    { length: Math.max(1, Math.min(todo.length, workers * 2)) },
    async () => {
      while (next < todo.length) await runPoint(todo[next++]!);
    },
  );
  await Promise.all(lanes);
  bar.end();
  const report = {
    format: EXPERIMENT_FORMAT,
    scenario: loaded.scenario.name,
    crn,
    ...(baseline === undefined ? {} : { baseline }),
    cells: results.flatMap((r) => r ?? []),
  };
  const params = Object.keys(loaded.scenario.sweep);
  writeAtomic(join(out, 'sweep.csv'), toCsv(tidyRows(report), params));
  writeAtomic(join(out, 'sweep.json'), `${JSON.stringify(report, null, 2)}\n`);
  // with --capacity --json, stdout carries only the capacity JSON
  if (!(o.flags.has('capacity') && o.flags.has('json')))
    io.stdout(`${total} points (${total - todo.length} resumed) → ${join(out, 'sweep.csv')}\n`);
  return report;
}

/** The one-line answer of a capacity search, e.g. "… smallest passing value 6 (5 fails)". */
export function capacityHeadline(r: CapacityResult): string {
  const word = r.seek === 'max' ? 'largest' : 'smallest';
  const head = `${r.parameter}: ${word} passing value`;
  const pass = String(r.lastPassText);
  const fail = String(r.firstFailText);
  if (r.lastPass === null)
    return `${head}: none, no value in range meets the objective (${fail} fails)`;
  if (r.firstFail === null) {
    const end = r.seek === 'max' ? 'to' : 'from';
    return `${head}: ${pass} or beyond (the whole range passes; widen "${end}")`;
  }
  const bracket = r.seek === 'max' ? `[${pass}, ${fail}]` : `[${fail}, ${pass}]`;
  const note = r.converged ? '' : ' (not converged)';
  return `${head} ${pass} (${fail} fails) · bracket ${bracket}${note}`;
}

/** `stacksim sweep`: a parameter grid with per-point files, resume and a tidy CSV (exit 0/1/2). */
export async function sweepCommand(args: string[], io: CommandIo): Promise<number> {
  let closeExec: (() => Promise<void>) | undefined;
  try {
    const o = parseOptions(
      args,
      ['resume', 'capacity', 'with-sweep', 'no-crn', 'json', 'help', 'detach'],
      ['out', 'replications', 'workers', 'report', 'plots', 'queue', 'chunk'],
    );
    if (o.flags.has('help')) {
      io.stdout(`${SWEEP_USAGE}\n`);
      return EXIT_OK;
    }
    const at = (name: string) => {
      const v = o.values.get(name);
      return v === undefined ? undefined : resolve(io.cwd, v);
    };
    checkOutputs(
      { '--out': at('out'), '--plots': at('plots') },
      { '--report': at('report') },
      (message) => new UsageError(message),
    );
    const loaded = loadFor(o, io);
    if (!loaded.ok) return EXIT_USAGE;
    const outArg = o.values.get('out');
    const out = outArg === undefined ? undefined : resolve(io.cwd, outArg);
    if (out !== undefined) mkdirSync(out, { recursive: true });
    const capacity = o.flags.has('capacity');
    if (o.flags.has('with-sweep') && !capacity)
      throw new UsageError('--with-sweep goes with --capacity');
    const { exec, workers, close } = makeExecutor(o, io, { command: 'sweep', raw: loaded.raw });
    closeExec = close;
    let report: ExperimentReport | undefined;
    if (!capacity || o.flags.has('with-sweep')) {
      const grid = await runGrid(o, io, exec, workers, loaded, out);
      if (typeof grid === 'number') return grid;
      report = grid;
    }
    if (capacity) return await runCapacity(o, io, exec, loaded, out, report);
    await writeSweepOutputs(o, io, loaded, out, { ...(report === undefined ? {} : { report }) });
    return EXIT_OK;
  } catch (e) {
    return commandError('sweep', e, io);
  } finally {
    await closeExec?.();
  }
}
