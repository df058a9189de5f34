// The coordinator side of a queued study: an Executor (cli/pool.ts) whose jobs run on
// `stacksim worker` processes through BullMQ. The experiment generators, seeds and reducers are
// the local ones; only where a replication runs changes, so the output bytes cannot.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Job, JobOutput } from '../../experiments/job.ts';
import type { Scenario } from '../../models/scenario/format.ts';
import type { CommandIo } from '../commands/experiment-io.ts';
import type { Executor } from '../pool.ts';
import { decode, encode, sha256, unpack } from './codec.ts';
import {
  BUILD_IDENTITY,
  type ChunkData,
  keys,
  queueLibs,
  queueName,
  type RedisOptions,
} from './connection.ts';
import { StudyNotice } from './notice.ts';
import { liveWorkers, type StudySpec } from './study.ts';

/** How a queued study is run. */
export interface QueueSettings {
  readonly url: string;
  readonly redis: RedisOptions;
  readonly study: string;
  readonly spec: StudySpec;
  /** Replications per job (never changes an output byte). */
  readonly chunk: number;
  /** Submit the first round and stop with the study id. */
  readonly detach: boolean;
  /** Poll period for results, ms. */
  readonly pollMs?: number;
}

/** Job options: infrastructure errors retry with backoff; finished jobs leave Redis at once. */
const JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: false,
} as const;

interface Chunk {
  readonly data: ChunkData;
  readonly jobs: readonly Job[];
  readonly body: string;
}

/** Splits a batch into chunks: consecutive jobs of one scenario (and series flag), ≤ size each. */
function chunksOf(
  jobs: readonly Job[],
  size: number,
  study: string,
  bodyOf: (s: Scenario) => { hash: string; text: string },
): Chunk[] {
  const out: Chunk[] = [];
  let open: { hash: string; series: boolean; jobs: Job[] } | undefined;
  const flush = () => {
    if (open === undefined) return;
    const seeds = open.jobs.map((j) => j.seed);
    const key = sha256(encode({ scenario: open.hash, seeds, series: open.series })).slice(0, 32);
    const data = {
      study,
      key,
      identity: BUILD_IDENTITY,
      scenario: open.hash,
      seeds,
      series: open.series,
    };
    out.push({ data, jobs: open.jobs, body: bodyOf(open.jobs[0]!.scenario).text });
    open = undefined;
  };
  for (const job of jobs) {
    const hash = bodyOf(job.scenario).hash;
    const series = job.series === true;
    if (
      open === undefined ||
      open.hash !== hash ||
      open.series !== series ||
      open.jobs.length >= size
    )
      flush();
    open ??= { hash, series, jobs: [] };
    open.jobs.push(job);
  }
  flush();
  return out;
}

/** The executor of a queued study and its close(), which trims the study once collected. */
export function queueExecutor(
  s: QueueSettings,
  io: CommandIo,
): { exec: Executor; close: () => Promise<void> } {
  let conn: { redis: Redis; queue: Queue } | undefined;
  let resumed = false;
  let failed = false;
  let stopped = false;
  const bodies = new Map<Scenario, { hash: string; text: string }>();
  const bodyOf = (scenario: Scenario) => {
    let b = bodies.get(scenario);
    if (b === undefined) {
      const text = encode(scenario);
      b = { hash: sha256(text), text };
      bodies.set(scenario, b);
    }
    return b;
  };
  const now = io.now ?? (() => Date.now());
  const started = now();
  const counts = { done: 0, total: 0 };
  let lastDraw = 0;
  let workersSeen = 0;

  let connecting: Promise<{ redis: Redis; queue: Queue }> | undefined;
  // one Ctrl-C listener for all lanes of a sweep (each lane's wait loop checks the flag)
  const interrupted = { yes: false };
  const onSigint = () => {
    interrupted.yes = true;
  };
  const open = async () => {
    const { bullmq, ioredis } = await queueLibs();
    const { Queue } = bullmq;
    const { Redis } = ioredis;
    const redis = new Redis(s.redis);
    const queue = new Queue(queueName(BUILD_IDENTITY), {
      connection: s.redis,
      streams: { events: { maxLen: 100 } },
    });
    conn = { redis, queue };
    process.on('SIGINT', onSigint);
    const created = await redis.hsetnx(keys.study(s.study), 'spec', JSON.stringify(s.spec));
    resumed = created === 0;
    await redis.hset(
      keys.study(s.study),
      'identity',
      BUILD_IDENTITY,
      'queue',
      queueName(BUILD_IDENTITY),
    );
    await redis.hsetnx(keys.study(s.study), 'created', String(Date.now()));
    // a study collected before runs again in full (its results left Redis)
    await redis.hdel(keys.study(s.study), 'state', 'collected');
    await redis.persist(keys.study(s.study));
    io.stderr(
      `study ${s.study} ${resumed ? 'resumed' : 'submitted'} on ${s.url} (queue ${queueName(BUILD_IDENTITY)}); stacksim status ${s.study} --queue ${s.url}\n`,
    );
    return conn;
  };
  // one connection for every lane of a sweep
  const connect = () => {
    connecting ??= open();
    return connecting;
  };

  const draw = async (redis: Redis, force: boolean) => {
    const t = now();
    if (!force && t - lastDraw < 1000) return;
    lastDraw = t;
    workersSeen = (await liveWorkers(redis)).filter((w) => w.identity === BUILD_IDENTITY).length;
    if (!io.isTTY) return;
    const rate = counts.done > 0 ? (t - started) / counts.done : 0;
    const eta =
      counts.done > 0 ? ` · ETA ${Math.ceil(((counts.total - counts.done) * rate) / 1000)}s` : '';
    io.stderr(`\rqueue: ${counts.done}/${counts.total} jobs · ${workersSeen} workers${eta}\x1b[K`);
  };

  /** Adds the chunks that have no result and no live job (a failed one is replaced on resume). */
  const submit = async (chunks: readonly Chunk[], have: ReadonlySet<string>) => {
    const { redis, queue } = await connect();
    const todo = chunks.filter((c) => !have.has(c.data.key));
    const pipe = redis.pipeline();
    for (const c of chunks) pipe.set(keys.scenario(c.data.scenario), c.body, 'NX');
    for (const c of chunks) pipe.hset(keys.jobs(s.study), c.data.key, JSON.stringify(c.data));
    await pipe.exec();
    const jobId = (c: Chunk) => `${s.study}-${c.data.key}`;
    if (resumed) {
      for (const c of todo) {
        if ((await queue.getJobState(jobId(c))) === 'failed')
          await (await queue.getJob(jobId(c)))?.remove();
      }
    }
    for (let i = 0; i < todo.length; i += 1000) {
      await queue.addBulk(
        todo
          .slice(i, i + 1000)
          .map((c) => ({ name: 'chunk', data: c.data, opts: { ...JOB_OPTIONS, jobId: jobId(c) } })),
      );
    }
  };

  /** Ends the study with an error if a job failed or a duplicate disagreed. */
  const checkErrors = async (redis: Redis) => {
    const errors = await redis.hgetall(keys.errors(s.study));
    const first = Object.entries(errors).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))[0];
    if (first !== undefined) throw new Error(`study ${s.study}, job ${first[0]}: ${first[1]}`);
  };

  /** Re-adds jobs that Redis no longer holds; fails on a job BullMQ gave up on. */
  const recover = async (pending: readonly Chunk[]) => {
    const { queue } = await connect();
    const lost: Chunk[] = [];
    for (const c of pending) {
      const id = `${s.study}-${c.data.key}`;
      const state = await queue.getJobState(id);
      if (state === 'unknown') lost.push(c);
      else if (state === 'failed') {
        const job = await queue.getJob(id);
        throw new Error(
          `study ${s.study}, job ${c.data.key} failed: ${job?.failedReason ?? 'unknown reason'}`,
        );
      }
    }
    if (lost.length > 0) await submit(lost, new Set());
  };

  const waitFor = async (chunks: readonly Chunk[], onDone?: (o: JobOutput) => void) => {
    const { redis } = await connect();
    const outputs = new Map<string, JobOutput[]>();
    if (chunks.length === 0) return outputs;
    let pending = [...chunks];
    let seen = -1;
    let idleSince = now();
    for (;;) {
      await checkErrors(redis);
      const count = await redis.hlen(keys.digests(s.study));
      if (count !== seen) {
        seen = count;
        const digests = await redis.hmget(keys.digests(s.study), ...pending.map((c) => c.data.key));
        const found = digests.map((d) => d !== null);
        const digestOf = new Map(pending.map((c, i) => [c.data.key, digests[i]]));
        const ready = pending.filter((_, i) => found[i]);
        if (ready.length > 0) idleSince = now();
        for (let i = 0; i < ready.length; i += 256) {
          const part = ready.slice(i, i + 256);
          const packed = await redis.hmgetBuffer(
            keys.results(s.study),
            ...part.map((c) => c.data.key),
          );
          part.forEach((c, k) => {
            const bytes = packed[k];
            if (bytes === null || bytes === undefined)
              throw new Error(`study ${s.study}: result ${c.data.key} missing`);
            const text = unpack(bytes);
            if (sha256(text) !== digestOf.get(c.data.key))
              throw new Error(
                `study ${s.study}: result ${c.data.key} does not match its stored digest (a determinism or storage failure)`,
              );
            const list = decode<JobOutput[]>(text);
            if (list.length !== c.jobs.length)
              throw new Error(`study ${s.study}: result ${c.data.key} has ${list.length} outputs`);
            outputs.set(c.data.key, list);
            counts.done++;
            list.forEach((o, j) => {
              onDone?.({ ...o, index: c.jobs[j]!.index });
            });
          });
        }
        pending = pending.filter((_, i) => !found[i]);
      }
      if (pending.length === 0) break;
      if (interrupted.yes) {
        stopped = true;
        throw new StudyNotice(
          `\ninterrupted: study ${s.study} stays in Redis and the workers go on; run the same command again or stacksim collect ${s.study} --queue ${s.url} --out DIR\n`,
          130,
          'stderr',
        );
      }
      await draw(redis, false);
      if (now() - idleSince > 10_000) {
        await recover(pending);
        idleSince = now();
      }
      await new Promise((r) => setTimeout(r, s.pollMs ?? 200));
    }
    return outputs;
  };

  let detachTimer: ReturnType<typeof setTimeout> | undefined;
  const detached: ((e: Error) => void)[] = [];

  const exec: Executor = async (jobs, onDone) => {
    try {
      const chunks = chunksOf(jobs, s.chunk, s.study, bodyOf);
      const { redis } = await connect();
      const digests =
        chunks.length === 0
          ? []
          : await redis.hmget(keys.digests(s.study), ...chunks.map((c) => c.data.key));
      counts.total += chunks.length;
      await submit(
        chunks,
        new Set(chunks.filter((_, i) => digests[i] !== null).map((c) => c.data.key)),
      );
      if (s.detach) {
        // every lane submits its first round; then all stop with the study id
        stopped = true;
        return await new Promise<JobOutput[]>((_, reject) => {
          detached.push(reject);
          if (detachTimer !== undefined) clearTimeout(detachTimer);
          detachTimer = setTimeout(() => {
            const notice = new StudyNotice(`${s.study}\n`, 0, 'stdout');
            for (const r of detached.splice(0)) r(notice);
          }, 500);
        });
      }
      const byKey = await waitFor(chunks, onDone);
      const out: JobOutput[] = new Array(jobs.length);
      const position = new Map(jobs.map((j, i) => [j, i]));
      for (const c of chunks) {
        const list = byKey.get(c.data.key)!;
        c.jobs.forEach((j, k) => {
          out[position.get(j)!] = { ...list[k]!, index: j.index };
        });
      }
      await draw(redis, true);
      return out;
    } catch (e) {
      failed = true;
      throw e;
    }
  };

  const close = async () => {
    process.removeListener('SIGINT', onSigint);
    if (conn === undefined) return;
    const { redis, queue } = conn;
    if (io.isTTY) io.stderr('\r\x1b[K');
    if (!failed && !stopped) {
      // collected: results and bookkeeping leave Redis; the study record stays a day for status
      await redis.del(
        keys.results(s.study),
        keys.digests(s.study),
        keys.errors(s.study),
        keys.jobs(s.study),
      );
      await redis.hset(keys.study(s.study), 'state', 'collected', 'collected', String(Date.now()));
      await redis.expire(keys.study(s.study), 86_400);
      for (const b of bodies.values()) await redis.expire(keys.scenario(b.hash), 86_400);
    }
    await queue.close();
    redis.disconnect();
  };
  return { exec, close };
}
