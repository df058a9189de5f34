// Distributed studies over BullMQ on a private redis-server: 2 worker processes vs 1 on a
// compare of ≥ 64 jobs (against the machine's measured ceiling, as the experiments bench
// does), the queue's per-job overhead on near-empty jobs, and Redis memory around a 10 000-job
// study. Needs dist/ (npm run bench builds it) and the Debian redis-server.
// Run: npm run bench -- --only distributed
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import {
  HAVE_REDIS,
  type RedisServer,
  run,
  startRedis,
  startWorkers,
  stopAll,
  until,
} from '../test/distributed/harness.ts';
import { DIST } from './distributed-doc.ts';
import { machineCeiling } from './experiments.ts';
import { type BenchGroup, byName, type NamedFigure, namedFigure } from './measure.ts';

const CLI = 'dist/stacksim.mjs';
/**
 * 5 variants × 13 replications = 65 jobs of lb-compare.json, 60 s simulated each: about 0.5 s of
 * CPU per job, work worth sending to another machine. (At 10 s simulated a job is ~0.1 s and the
 * coordinator, Redis and process start-up on the same 2 cores cap the speed-up near 1.5×.)
 */
const SPEED = ['compare', 'scenarios/lb-compare.json', '--replications', '13'];
const SPEED_ARGS = [...SPEED, '--set', 'run.duration=60s', '--set', 'run.warmup=2s'];
/** Near-empty jobs: quickstart.json for 20 ms simulated, no warm-up. */
const TINY = (n: number) => [
  'compare',
  'scenarios/quickstart.json',
  '--replications',
  String(n),
  '--set',
  'run.duration=20ms',
  '--set',
  'run.warmup=0s',
];

async function timed(args: readonly string[]): Promise<number> {
  const t0 = performance.now();
  const r = await run(CLI, args, 900_000);
  if (r.code !== 0) throw new Error(`stacksim ${args.join(' ')} failed: ${r.stderr}`);
  return performance.now() - t0;
}

/** Wall time of a queued study with `workers` worker processes (started and warm beforehand). */
async function queued(redis: RedisServer, workers: number, args: readonly string[], out: string) {
  const procs = startWorkers(CLI, redis.url, workers);
  try {
    await until(async () => (await redis.client.hlen('stacksim:workers')) >= workers);
    await timed([...TINY(2 * workers), '--queue', redis.url, '--out', `${out}-warm`]); // warm the sandboxes
    return await timed([...args, '--queue', redis.url, '--out', out]);
  } finally {
    await stopAll(procs);
    await redis.client.del('stacksim:workers');
  }
}

/** Used memory of Redis in bytes. */
async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

/** The figures: speed-up rounds, per-job overhead, memory around a 10 000-job study. */
export async function distributedBench(rounds: number, memoryJobs: number): Promise<NamedFigure[]> {
  const redis = await startRedis();
  const tmp = mkdtempSync(join(tmpdir(), 'stacksim-bench-dist-'));
  let k = 0;
  const out = () => join(tmp, `o${k++}`);
  try {
    const one: number[] = [];
    const two: number[] = [];
    const ceiling: number[] = [];
    const load: number[] = [];
    for (let r = 0; r < rounds; r++) {
      load.push(loadavg()[0] ?? 0);
      one.push(await queued(redis, 1, SPEED_ARGS, out()));
      two.push(await queued(redis, 2, SPEED_ARGS, out()));
      ceiling.push(await machineCeiling());
    }
    const speedup = one.map((t, i) => t / two[i]!);
    // overhead: the same N near-empty jobs through the queue (1 worker) and on this machine's
    // own thread (--workers 1); both include one process start, so the difference is the queue's
    const n = 400;
    const overhead: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const local = await timed([...TINY(n), '--workers', '1', '--out', out()]);
      const q = await queued(redis, 1, TINY(n), out());
      overhead.push((q - local) / n);
    }
    // memory: a detached study of `memoryJobs` near-empty jobs, before and after collect
    const before = await usedMemory(redis.client);
    const procs = startWorkers(CLI, redis.url, 2);
    let peak = 0;
    let after = 0;
    try {
      const sub = await run(CLI, [...TINY(memoryJobs), '--queue', redis.url, '--detach']);
      const id = sub.stdout.trim();
      await until(
        async () => (await redis.client.hlen(`stacksim:study:${id}:digests`)) === memoryJobs,
        3_600_000,
      );
      peak = await usedMemory(redis.client);
      const c = await run(CLI, ['collect', id, '--queue', redis.url, '--out', out()], 900_000);
      if (c.code !== 0) throw new Error(c.stderr);
      after = await usedMemory(redis.client);
    } finally {
      await stopAll(procs);
    }
    return [
      namedFigure('distributed: 65 jobs, 1 worker process', 'ms', one),
      namedFigure('distributed: 65 jobs, 2 worker processes', 'ms', two),
      namedFigure('distributed: speed-up 2 workers vs 1', 'x', speedup),
      namedFigure('distributed: ceiling, 2 independent processes vs 1', 'x', ceiling),
      namedFigure(
        'distributed: speed-up / ceiling',
        'ratio',
        speedup.map((x, i) => x / ceiling[i]!),
      ),
      namedFigure('distributed: queue overhead per near-empty job (1 worker)', 'ms', overhead),
      namedFigure(DIST.load, 'load', load),
      namedFigure(`distributed: Redis memory, ${memoryJobs} jobs done, uncollected`, 'MB', [
        (peak - before) / 1e6,
      ]),
      namedFigure(`distributed: Redis memory per job, uncollected`, 'B', [
        (peak - before) / memoryJobs,
      ]),
      namedFigure(`distributed: Redis memory left after collect`, 'MB', [(after - before) / 1e6]),
    ];
  } finally {
    await redis.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The distributed group (skipped without redis-server). */
export const distributedGroup: BenchGroup = {
  name: 'distributed',
  summary:
    'BullMQ on redis-server: 2 worker processes vs 1, per-job overhead, memory of 10 000 jobs',
  run: async (options) => {
    if (!HAVE_REDIS) return { figures: {}, checks: [] };
    const t0 = performance.now();
    const list = await distributedBench(options.quick ? 1 : 3, options.quick ? 1000 : 10_000);
    list.push(namedFigure(DIST.seconds, 's', [(performance.now() - t0) / 1000]));
    const figures = byName(list);
    const speedup = figures['distributed: speed-up 2 workers vs 1']!.median;
    const ratio = figures['distributed: speed-up / ceiling']!.median;
    return {
      figures,
      checks: [
        {
          name: 'distributed: 2 worker processes vs 1 on 2 cores (median)',
          target: '>= 1.8',
          value: speedup,
          met: speedup >= 1.8,
        },
        {
          name: 'distributed: speed-up / machine ceiling (median)',
          target: '>= 0.9',
          value: ratio,
          met: ratio >= 0.9,
        },
      ],
    };
  },
};
