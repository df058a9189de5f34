// A queued study: its id and spec (what `collect` needs to re-run the coordinator), and the
// worker heartbeats that `status` and the progress line read.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { type CommandIo, intOption, type Options, UsageError } from '../commands/experiment-io.ts';
import type { Executor } from '../pool.ts';
import { encode, sha256 } from './codec.ts';
import { BUILD_IDENTITY, keys, parseQueueUrl, type WorkerBeat } from './connection.ts';
import { queueExecutor } from './executor.ts';

/** What a study was started with: enough to run its coordinator again (`stacksim collect`). */
export interface StudySpec {
  readonly command: string;
  /** The scenario file's name and text. */
  readonly file: string;
  readonly text: string;
  readonly flags: readonly string[];
  readonly values: readonly (readonly [string, string])[];
  readonly sets: readonly string[];
}

// Options that change where output goes or how it is shown, never which jobs run.
const PRESENTATION = new Set([
  'out',
  'report',
  'plots',
  'csv',
  'json',
  'metrics',
  'workers',
  'queue',
  'detach',
  'help',
]);

/** A heartbeat older than this is no longer a live worker. */
export const WORKER_STALE_MS = 15_000;

/** Workers whose last heartbeat is recent, sorted by id. */
export async function liveWorkers(redis: Redis, at = Date.now()): Promise<WorkerBeat[]> {
  const all = await redis.hgetall(keys.workers);
  return Object.values(all)
    .map((t) => JSON.parse(t) as WorkerBeat)
    .filter((w) => at - w.seen < WORKER_STALE_MS)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The study's spec and id: SHA-256 of the build identity, the command, the options that choose
 * jobs and the resolved scenario. The same command on the same build is the same study, so a
 * re-run resumes it.
 */
export function studyOf(
  command: string,
  o: Options,
  io: CommandIo,
  raw: unknown,
): { id: string; spec: StudySpec } {
  const file = o.positionals[0]!;
  const spec: StudySpec = {
    command,
    file: basename(file),
    text: readFileSync(resolve(io.cwd, file), 'utf8'),
    flags: [...o.flags].filter((f) => !PRESENTATION.has(f)).sort(),
    values: [...o.values]
      .filter(([k]) => !PRESENTATION.has(k))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
    sets: [...o.sets],
  };
  const chosen = { identity: BUILD_IDENTITY, command, flags: spec.flags, values: spec.values, raw };
  return { id: sha256(encode(chosen)).slice(0, 16), spec };
}

/** The argv that runs a spec's command again on a file, into `out`, on `queue`. */
export function specArgv(spec: StudySpec, file: string, out: string, queue: string): string[] {
  return [
    file,
    ...spec.flags.map((f) => `--${f}`),
    ...spec.values.map(([k, v]) => `--${k}=${v}`),
    ...spec.sets.map((v) => `--set=${v}`),
    `--out=${out}`,
    `--queue=${queue}`,
  ];
}

/** How many sweep points may be in flight at once when jobs run on a queue. */
export const QUEUE_LANES = 32;

/** `--queue URL` [--chunk N] [--detach]: an executor whose jobs run on `stacksim worker`s. */
export function makeQueueExecutor(
  o: Options,
  io: CommandIo,
  study: { readonly command: string; readonly raw: unknown },
): { exec: Executor; workers: number; close: () => Promise<void> } {
  const url = o.values.get('queue')!;
  const redis = parseQueueUrl(url);
  if (redis === undefined) throw new UsageError(`--queue expects redis://HOST:PORT, got "${url}"`);
  if (o.values.has('workers'))
    throw new UsageError('--workers is for local runs; with --queue start `stacksim worker`s');
  const chunk = intOption(o, 'chunk', 1);
  const { id, spec } = studyOf(study.command, o, io, study.raw);
  const q = queueExecutor(
    { url, redis, study: id, spec, chunk, detach: o.flags.has('detach') },
    io,
  );
  return { ...q, workers: QUEUE_LANES };
}
