// The output folder of a queued sweep or compare is byte-identical to the local run's, for any
// number of worker processes and any chunk size (real redis-server, workers as OS processes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildBins,
  CAPACITY,
  HAVE_REDIS,
  hashDir,
  LB,
  type RedisServer,
  run,
  startRedis,
  startWorkers,
  stopAll,
} from './harness.ts';

describe.skipIf(!HAVE_REDIS)('queued studies give the local bytes', () => {
  let redis: RedisServer;
  let bins: { cli: string; dir: string };
  const tmp = mkdtempSync(join(tmpdir(), 'stacksim-identity-'));
  const local: Record<string, string> = {};

  beforeAll(async () => {
    bins = buildBins();
    redis = await startRedis();
    for (const [name, args] of [
      ['capacity', CAPACITY],
      ['lb', LB],
    ] as const) {
      const out = join(tmp, `local-${name}`);
      const r = await run(bins.cli, [...args, '--workers', '1', '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      local[name] = hashDir(out);
    }
  });

  afterAll(async () => {
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
    if (bins !== undefined) rmSync(bins.dir, { recursive: true, force: true });
  });

  for (const workers of [1, 2, 4]) {
    it(`${workers} worker process(es), chunks of 1, 3 and 8`, async () => {
      const procs = startWorkers(bins.cli, redis.url, workers);
      try {
        for (const chunk of [1, 3, 8]) {
          // both studies at all 9 (workers, chunk) combinations, on the same worker processes
          // across chunk sizes; capacity-plan.json runs shortened (harness.ts SHORT: 1 s
          // simulated after 500 ms warm-up, the same code path as the bundled 10 s + 3 s)
          const studies = [
            ['capacity', CAPACITY],
            ['lb', LB],
          ] as const;
          for (const [name, args] of studies) {
            const out = join(tmp, `q-${name}-${workers}-${chunk}`);
            const r = await run(bins.cli, [
              ...args,
              '--queue',
              redis.url,
              '--chunk',
              String(chunk),
              '--out',
              out,
            ]);
            expect(r.code, r.stderr).toBe(0);
            expect(hashDir(out), `${name} with ${workers} workers, chunk ${chunk}`).toBe(
              local[name],
            );
          }
        }
      } finally {
        await stopAll(procs);
      }
      // collected studies leave no results behind
      expect(await redis.client.keys('stacksim:study:*:results')).toEqual([]);
    });
  }
});
