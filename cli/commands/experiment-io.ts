import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ComponentKind } from '../../models/core/component.ts';
import type { Scenario } from '../../models/scenario/format.ts';
import { formatIssue } from '../../models/scenario/issues.ts';
import { loadScenarioText, MAX_SCENARIO_BYTES } from '../../models/scenario/load.ts';
import { parseOverride } from '../../models/scenario/overrides.ts';
import { type OptionSpec, parseArgs, UsageError } from '../args.ts';
import { EXIT } from '../exit-codes.ts';
import { defaultWorkers, type Executor, inProcessExecutor, WorkerPool } from '../pool.ts';
import { StudyNotice } from '../queue/notice.ts';
import { makeQueueExecutor } from '../queue/study.ts';

/**
 * What the experiment commands need from their caller (cli/main.ts passes the real process):
 * text sinks for stdout/stderr, whether stderr is a terminal (progress is shown only then), the
 * working directory, a wall clock in ms (for ETA), and test hooks for component kinds.
 */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  readonly cwd: string;
  readonly now?: () => number;
  /** Kinds to validate and run in-process with (default: the registry). */
  readonly kinds?: readonly ComponentKind[];
  /** ES module URL/path exporting `kinds`, imported by each worker (default: the registry). */
  readonly kindsModule?: string;
  /** Worker bundle to use (default: dist/worker.mjs). */
  readonly workerPath?: string;
}

/** Exit codes shared with the rest of the command line (one table: cli/exit-codes.ts). */
export const EXIT_OK = EXIT.ok;
/** A run failed (a model bug surfaced as an exception). */
export const EXIT_FAILURE = EXIT.runFailure;
/** Bad input or usage. */
export const EXIT_USAGE = EXIT.badInput;

/** A usage mistake: printed as one line, exit code 2 (the command line's one usage-error type). */
export { UsageError };

/**
 * Reports an error that ended an experiment command and returns its exit code: a usage
 * mistake is one line (exit 2); anything else is a run failure (exit 1) whose message names
 * the component, message type and simulated time when a model failed.
 */
export function commandError(command: string, e: unknown, io: CommandIo): number {
  if (e instanceof StudyNotice) {
    io[e.stream](e.message);
    return e.code;
  }
  if (e instanceof UsageError) {
    io.stderr(`stacksim ${command}: ${e.message}\n`);
    return EXIT_USAGE;
  }
  io.stderr(`stacksim ${command}: run failed: ${e instanceof Error ? e.message : String(e)}\n`);
  return EXIT_FAILURE;
}

/** Parsed options: positionals, flags, single values and repeatable `--set`. */
export interface Options {
  readonly positionals: string[];
  readonly flags: Set<string>;
  readonly values: Map<string, string>;
  readonly sets: string[];
}

/** Parses `--name value` / `--name=value` / boolean flags against the allowed names. */
export function parseOptions(
  args: readonly string[],
  flags: readonly string[],
  values: readonly string[],
): Options {
  const spec: Record<string, OptionSpec> = { set: { kind: 'list' } };
  for (const name of values) spec[name] = { kind: 'string' };
  for (const name of flags) spec[name] = { kind: 'boolean' };
  const parsed = parseArgs(args, spec);
  return {
    positionals: [...parsed.positionals],
    flags: new Set(parsed.flags),
    values: new Map(parsed.values),
    sets: [...(parsed.lists.get('set') ?? [])],
  };
}

/** A positive integer option, or the fallback. */
export function intOption(o: Options, name: string, fallback: number): number {
  const text = o.values.get(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} expects a positive integer`);
  return n;
}

/** Reads and validates the scenario named by the first positional, with `--set` overrides. */
export function loadFor(
  o: Options,
  io: CommandIo,
): { ok: true; scenario: Scenario; raw: unknown; file: string } | { ok: false } {
  const file = o.positionals[0];
  if (file === undefined) throw new UsageError('missing scenario file');
  const overrides = o.sets.map((s) => {
    const parsed = parseOverride(s);
    if (parsed === undefined) throw new UsageError(`--set expects path=value, got "${s}"`);
    return parsed;
  });
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    if (statSync(path).size > MAX_SCENARIO_BYTES) throw new UsageError(`${file}: file too large`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const loaded = loadScenarioText(text, {
    overrides,
    ...(io.kinds === undefined ? {} : { kinds: io.kinds }),
  });
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.stderr(`${formatIssue(file, issue)}\n`);
    return { ok: false };
  }
  return { ok: true, scenario: loaded.scenario, raw: loaded.resolved, file };
}

/** An executor for `--workers N` (1: this thread) or `--queue URL`, and a close() to call when done. */
export function makeExecutor(
  o: Options,
  io: CommandIo,
  study?: { readonly command: string; readonly raw: unknown },
): { exec: Executor; workers: number; close: () => Promise<void> } {
  if (study !== undefined && o.values.has('queue')) return makeQueueExecutor(o, io, study);
  if (o.values.has('chunk') || o.flags.has('detach'))
    throw new UsageError('--chunk and --detach go with --queue');
  const workers = intOption(o, 'workers', defaultWorkers());
  if (workers === 1) return { exec: inProcessExecutor(io.kinds), workers, close: async () => {} };
  const pool = new WorkerPool(workers, {
    ...(io.workerPath === undefined ? {} : { workerPath: io.workerPath }),
    ...(io.kindsModule === undefined ? {} : { kindsModule: io.kindsModule }),
  });
  return { exec: pool.run, workers, close: () => pool.close() };
}

/** Progress on stderr (only on a TTY): jobs done of those known, and an ETA from the mean job time. */
export function progress(io: CommandIo, label: string) {
  const now = io.now ?? (() => Date.now());
  const start = now();
  let done = 0;
  let total = 0;
  let last = 0;
  const draw = (force: boolean) => {
    if (!io.isTTY) return;
    const t = now();
    if (!force && t - last < 200) return;
    last = t;
    const rate = done > 0 ? (t - start) / done : 0;
    const eta =
      done > 0 && total > done ? ` · ETA ${Math.ceil(((total - done) * rate) / 1000)}s` : '';
    io.stderr(`\r${label} ${done}/${total}${eta}   `);
  };
  return {
    /** More work became known. */
    add(n: number) {
      total += n;
      draw(false);
    },
    /** One unit finished. */
    tick() {
      done++;
      draw(false);
    },
    /** Clears the line. */
    end() {
      if (io.isTTY) io.stderr('\r\x1b[K');
    },
  };
}
