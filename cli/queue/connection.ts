// Where a distributed study lives: the Redis URL, the key names, and this build's identity.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../../package.json' with { type: 'json' };

/** Set by build.mjs (esbuild `define`): SHA-256 of package-lock.json at build time. */
declare const __STACKSIM_LOCKFILE_HASH__: string | undefined;

/**
 * BullMQ and ioredis, loaded only when a queue is used. The specifiers are not literals, so
 * bundlers leave them to Node: the CLI bundle stays as small as before, and BullMQ forks its
 * sandboxed processors from its own files in node_modules as it must.
 */
export async function queueLibs(): Promise<{
  bullmq: typeof import('bullmq');
  ioredis: typeof import('ioredis');
}> {
  const names = ['bullmq', 'ioredis'];
  const [bullmq, ioredis] = await Promise.all(names.map((n) => import(n)));
  return { bullmq, ioredis };
}

/** Default queue URL when none is given (also STACKSIM_QUEUE). */
export const DEFAULT_QUEUE_URL = 'redis://127.0.0.1:6379';

/** ioredis options for a `redis://HOST:PORT[/DB]` URL; BullMQ needs maxRetriesPerRequest null. */
export interface RedisOptions {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly maxRetriesPerRequest: null;
}

/** Parses `redis://HOST:PORT[/DB]`; undefined when it is not such a URL. */
export function parseQueueUrl(text: string): RedisOptions | undefined {
  const m = /^redis:\/\/([^:/\s]+)(?::(\d{1,5}))?(?:\/(\d{1,2}))?\/?$/.exec(text);
  if (m === null) return undefined;
  const port = m[2] === undefined ? 6379 : Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return {
    host: m[1]!,
    port,
    db: m[3] === undefined ? 0 : Number(m[3]),
    maxRetriesPerRequest: null,
  };
}

function lockfileHash(): string {
  if (typeof __STACKSIM_LOCKFILE_HASH__ === 'string') return __STACKSIM_LOCKFILE_HASH__;
  // from sources (tests, scripts): the package-lock.json above this file
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const lock = join(dir, 'package-lock.json');
    if (existsSync(lock)) return createHash('sha256').update(readFileSync(lock)).digest('hex');
    dir = dirname(dir);
  }
  return 'no-lockfile';
}

/**
 * This build's identity: package version and the first 12 hex digits of the lockfile's SHA-256.
 * Workers take jobs only from the queue named after their own identity, so a study never runs
 * on code that could give other bytes.
 */
export const BUILD_IDENTITY = `${pkg.version}-${lockfileHash().slice(0, 12)}`;

/** BullMQ queue name of an identity (no ':' allowed in BullMQ names). */
export function queueName(identity: string): string {
  return `stacksim-${identity.replace(/[^A-Za-z0-9.-]/g, '_')}`;
}

/** Redis key names of the studies (all under one prefix, none of them BullMQ's). */
export const keys = {
  /** Hash: worker id → JSON heartbeat ({@link WorkerBeat}). */
  workers: 'stacksim:workers',
  /** String: a scenario body (encoded JSON) under its SHA-256. */
  scenario: (hash: string) => `stacksim:scenario:${hash}`,
  /** Hash: the study's spec and state (spec, identity, queue, jobs, created, state). */
  study: (id: string) => `stacksim:study:${id}`,
  /** Hash: job key → deflated encoded outputs. */
  results: (id: string) => `stacksim:study:${id}:results`,
  /** Hash: job key → SHA-256 of the encoded outputs (written once). */
  digests: (id: string) => `stacksim:study:${id}:digests`,
  /** Hash: job key → message, for model errors and digest conflicts (the study fails). */
  errors: (id: string) => `stacksim:study:${id}:errors`,
  /** Hash: job key → the job's data (JSON), for every job submitted for the study. */
  jobs: (id: string) => `stacksim:study:${id}:jobs`,
} as const;

/** What a worker writes every few seconds under {@link keys.workers}. */
export interface WorkerBeat {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly identity: string;
  readonly concurrency: number;
  /** Wall-clock ms of the last beat. */
  readonly seen: number;
  readonly done: number;
}

/** Data of one BullMQ job: hashes and seeds only, never a scenario body. */
export interface ChunkData {
  readonly study: string;
  /** Result key within the study (SHA-256 of scenario hash, seeds, series). */
  readonly key: string;
  readonly identity: string;
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly series: boolean;
}
