// Faults a queued study survives with the same output bytes: a worker SIGKILLed mid-job, Redis
// restarted (AOF on), the coordinator killed and restarted, duplicate executions, and a worker
// of another build (it refuses the study's jobs; status shows it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildBins,
  HAVE_REDIS,
  hashDir,
  LB,
  type RedisServer,
  resultsIn,
  run,
  start,
  startRedis,
  startWorkers,
  stopAll,
  until,
} from './harness.ts';

describe.skipIf(!HAVE_REDIS)('faults during a queued study', () => {
  let redis: RedisServer;
  let bins: { cli: string; dir: string };
  const tmp = mkdtempSync(join(tmpdir(), 'stacksim-faults-'));
  let local = '';
  let n = 0;
  const out = () => join(tmp, `out-${n++}`);
  const queued = (chunk: number) => [...LB, '--queue', redis.url, '--chunk', String(chunk)];
  const activeJobs = async () => {
    let total = 0;
    for (const k of await redis.client.keys('bull:*:active')) total += await redis.client.llen(k);
    return total;
  };

  beforeAll(async () => {
    bins = buildBins();
    redis = await startRedis(true);
    const dir = out();
    const r = await run(bins.cli, [...LB, '--workers', '1', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    local = hashDir(dir);
  });

  afterAll(async () => {
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
    if (bins !== undefined) rmSync(bins.dir, { recursive: true, force: true });
  });

  it('a worker SIGKILLed mid-job: its job runs again on another worker, same bytes', async () => {
    const workers = startWorkers(bins.cli, redis.url, 2);
    const dir = out();
    const coordinator = start(bins.cli, [...queued(8), '--out', dir]);
    try {
      await until(async () => (await activeJobs()) === 2); // both workers are mid-job
      workers[0]!.kill('SIGKILL');
      expect(await coordinator.exited, coordinator.out.stderr).toBe(0);
      expect(hashDir(dir)).toBe(local);
    } finally {
      coordinator.kill('SIGKILL');
      await stopAll(workers);
    }
  });

  it('Redis restarted mid-study (AOF on): the study resumes, same bytes', async () => {
    const workers = startWorkers(bins.cli, redis.url, 2);
    const dir = out();
    const coordinator = start(bins.cli, [...queued(2), '--out', dir]);
    try {
      await until(async () => (await resultsIn(redis.client)) >= 2);
      await redis.restart();
      expect(await coordinator.exited, coordinator.out.stderr).toBe(0);
      expect(hashDir(dir)).toBe(local);
    } finally {
      coordinator.kill('SIGKILL');
      await stopAll(workers);
    }
  });

  it('the coordinator stopped (Ctrl-C, then SIGKILL) and started again resumes from Redis, same bytes', async () => {
    const workers = startWorkers(bins.cli, redis.url, 1);
    const dir = out();
    try {
      const first = start(bins.cli, [...queued(3), '--out', dir]);
      await until(async () => (await resultsIn(redis.client)) >= 1);
      first.kill('SIGINT');
      expect(await first.exited).toBe(130);
      expect(first.out.stderr).toMatch(/interrupted: study [0-9a-f]{16} stays in Redis/);
      const second = start(bins.cli, [...queued(3), '--out', dir]);
      await until(async () => (await resultsIn(redis.client)) >= 3);
      second.kill('SIGKILL');
      await second.exited;
      const again = await run(bins.cli, [...queued(3), '--out', dir]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/study [0-9a-f]{16} resumed/);
      expect(hashDir(dir)).toBe(local);
    } finally {
      await stopAll(workers);
    }
  });

  /** Submits a detached study and waits until every job has its result. */
  const submitAndFinish = async (chunk: number) => {
    const r = await run(bins.cli, [...queued(chunk), '--detach']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    await until(async () => {
      const jobs = await redis.client.hlen(`stacksim:study:${id}:jobs`);
      return jobs > 0 && (await redis.client.hlen(`stacksim:study:${id}:digests`)) === jobs;
    });
    const study = await redis.client.hgetall(`stacksim:study:${id}`);
    const jobs = await redis.client.hgetall(`stacksim:study:${id}:jobs`);
    const queue = new Queue(study.queue!, { connection: { host: '127.0.0.1', port: redis.port } });
    /** Runs one of the study's jobs once more under a new id; resolves with its final state. */
    const duplicate = async (jobId: string) => {
      const [key, data] = Object.entries(jobs).sort()[0]!;
      await queue.add('chunk', JSON.parse(data), { jobId, removeOnComplete: false });
      let state = '';
      await until(async () => {
        state = await queue.getJobState(jobId);
        return state === 'completed' || state === 'failed';
      });
      return { key, state };
    };
    return { id, duplicate, close: () => queue.close() };
  };

  it('a forced duplicate execution is harmless; one that disagrees fails the study loudly', async () => {
    const workers = startWorkers(bins.cli, redis.url, 1);
    try {
      const clean = await submitAndFinish(4);
      expect((await clean.duplicate('dup-same')).state).toBe('completed');
      expect(await redis.client.hlen(`stacksim:study:${clean.id}:errors`)).toBe(0);
      const dir = out();
      const collected = await run(bins.cli, [
        'collect',
        clean.id,
        '--queue',
        redis.url,
        '--out',
        dir,
      ]);
      expect(collected.code, collected.stderr).toBe(0);
      expect(hashDir(dir)).toBe(local);
      await clean.close();

      const bad = await submitAndFinish(5);
      const key = Object.keys(
        await redis.client.hgetall(`stacksim:study:${bad.id}:jobs`),
      ).sort()[0]!;
      await redis.client.hset(`stacksim:study:${bad.id}:digests`, key, '0'.repeat(64)); // a stored digest that a re-run cannot give
      expect((await bad.duplicate('dup-differs')).state).toBe('failed');
      const failed = await run(bins.cli, ['collect', bad.id, '--queue', redis.url, '--out', out()]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/determinism failure/);
      await bad.close();
    } finally {
      await stopAll(workers);
    }
  });

  it('a worker of another build takes none of the jobs and shows as refused in status', async () => {
    await redis.client.del('stacksim:workers'); // heartbeats of the earlier tests' workers
    const other = buildBins('f'.repeat(64));
    const stranger = startWorkers(other.cli, redis.url, 1);
    let right: ReturnType<typeof startWorkers> = [];
    try {
      const r = await run(bins.cli, [...queued(6), '--detach']);
      expect(r.code, r.stderr).toBe(0);
      const id = r.stdout.trim();
      await until(async () => (await redis.client.hlen('stacksim:workers')) > 0);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const s = await run(bins.cli, ['status', id, '--queue', redis.url, '--json']);
      expect(s.code, s.stderr).toBe(0);
      const status = JSON.parse(s.stdout);
      expect(status.done).toBe(0);
      expect(status.jobs).toBeGreaterThan(0);
      expect(status.queue.waiting).toBe(status.jobs);
      expect(status.workers).toEqual([]);
      expect(status.refused.map((w: { pid: number }) => w.pid)).toEqual([stranger[0]!.pid]);
      const text = await run(bins.cli, ['status', id, '--queue', redis.url]);
      expect(text.stdout).toMatch(/refused: worker .* is build 0\.1\.0-ffffffffffff/);
      right = startWorkers(bins.cli, redis.url, 1);
      const dir = out();
      const collected = await run(bins.cli, ['collect', id, '--queue', redis.url, '--out', dir]);
      expect(collected.code, collected.stderr).toBe(0);
      expect(hashDir(dir)).toBe(local);
    } finally {
      await stopAll([...stranger, ...right]);
      rmSync(other.dir, { recursive: true, force: true });
    }
  });
});
