// Redis memory of a queued study stays bounded: compact results while it runs, and once it is
// collected nothing of it is left but a small study record (finished BullMQ jobs leave at once).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildBins,
  HAVE_REDIS,
  type RedisServer,
  run,
  startRedis,
  startWorkers,
  stopAll,
  until,
} from './harness.ts';

/** Stated bounds (docs/distributed.md): per uncollected job, and what a collected study leaves. */
const PER_JOB_BYTES = 2_500;
const LEFT_AFTER_COLLECT_BYTES = 512 * 1024;
const JOBS = 1000;

describe.skipIf(!HAVE_REDIS)('Redis memory of a queued study', () => {
  let redis: RedisServer;
  let bins: { cli: string; dir: string };
  const tmp = mkdtempSync(join(tmpdir(), 'stacksim-memory-'));
  const used = async () => Number(/used_memory:(\d+)/.exec(await redis.client.info('memory'))![1]);

  beforeAll(async () => {
    bins = buildBins();
    redis = await startRedis();
  });

  afterAll(async () => {
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
    if (bins !== undefined) rmSync(bins.dir, { recursive: true, force: true });
  });

  it(`${JOBS} near-empty jobs: under ${PER_JOB_BYTES} B per job uncollected, little left after collect`, async () => {
    const workers = startWorkers(bins.cli, redis.url, 2);
    try {
      await until(async () => (await redis.client.hlen('stacksim:workers')) === 2);
      const args = ['compare', 'scenarios/quickstart.json', '--replications', String(JOBS)];
      const short = ['--set', 'run.duration=20ms', '--set', 'run.warmup=0s'];
      // a small study first, so that BullMQ's scripts and the queue's own keys exist before
      const warm = ['compare', 'scenarios/quickstart.json', '--replications', '2', ...short];
      const w = await run(bins.cli, [...warm, '--queue', redis.url, '--out', join(tmp, 'w')]);
      expect(w.code, w.stderr).toBe(0);
      const before = await used();
      const sub = await run(bins.cli, [...args, ...short, '--queue', redis.url, '--detach']);
      expect(sub.code, sub.stderr).toBe(0);
      const id = sub.stdout.trim();
      await until(
        async () => (await redis.client.hlen(`stacksim:study:${id}:digests`)) === JOBS,
        240_000,
      );
      const peak = await used();
      expect(peak - before).toBeLessThan(JOBS * PER_JOB_BYTES);
      // finished jobs are removed from BullMQ at once; only the queue's bookkeeping keys remain
      const jobKeys = async () =>
        (await redis.client.keys('bull:*')).filter((k) => /:[0-9a-f]{16}-/.test(k));
      await until(async () => (await jobKeys()).length === 0);
      const c = await run(bins.cli, ['collect', id, '--queue', redis.url, '--out', join(tmp, 'o')]);
      expect(c.code, c.stderr).toBe(0);
      expect(await redis.client.keys(`stacksim:study:${id}:*`)).toEqual([]);
      const left = (await used()) - before;
      const keys = await redis.client.keys('*');
      expect(left, `left after collect; keys: ${keys.sort().join(' ')}`).toBeLessThan(
        LEFT_AFTER_COLLECT_BYTES,
      );
    } finally {
      await stopAll(workers);
    }
  });
});
