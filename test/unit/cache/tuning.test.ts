import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import { policyFor, tuningSchema } from '../../../models/cache/config.ts';
import {
  createOptPolicy,
  createPolicy,
  type PolicyName,
  type PolicyTuning,
} from '../../../models/cache/policies/index.ts';
import type { EvictionPolicy } from '../../../models/cache/policy.ts';
import { zipfTrace } from './helpers.ts';

const trace = zipfTrace(5_000, 0.8, 50_000, 21);

function misses(p: EvictionPolicy): number {
  let m = 0;
  for (let i = 0; i < trace.length; i++) {
    if (!p.get(trace[i]!)) {
      m++;
      p.admit(trace[i]!, 1);
    }
  }
  return m;
}

const build = (name: PolicyName, tuning: PolicyTuning) =>
  createPolicy(name, { capacity: 300, rng: createStream(1, 't', name) }, tuning);

describe('policy tuning reaches the policy', () => {
  it.each([
    ['s3-fifo', { smallRatio: 0.5 }],
    ['s3-fifo', { moveToMainThreshold: 3 }],
    ['s3-fifo', { ghostRatio: 0.1 }],
    ['w-tinylfu', { windowRatio: 0.5 }],
    ['w-tinylfu', { protectedRatio: 0.2 }],
    ['w-tinylfu', { sketchSize: 16 }],
    ['w-tinylfu', { sketchResetFactor: 0.5 }],
    ['redis-lru', { samples: 1 }],
    ['redis-lfu', { logFactor: 0 }],
  ] as const)('%s %j changes the miss count', (name, tuning) => {
    expect(misses(build(name, tuning))).not.toBe(misses(build(name, {})));
  });

  it('defaults are the documented ones: explicit defaults change nothing', () => {
    expect(
      misses(build('s3-fifo', { smallRatio: 0.1, ghostRatio: 0.9, moveToMainThreshold: 1 })),
    ).toBe(misses(build('s3-fifo', {})));
    expect(
      misses(build('w-tinylfu', { windowRatio: 0.01, protectedRatio: 0.8, sketchResetFactor: 10 })),
    ).toBe(misses(build('w-tinylfu', {})));
  });

  it('OPT with bypass misses no more than without, and both beat LRU', () => {
    const withBypass = misses(createOptPolicy({ capacity: 300 }, trace));
    const without = misses(createOptPolicy({ capacity: 300 }, trace, { bypass: false }));
    expect(withBypass).toBeLessThan(without);
    expect(without).toBeLessThan(misses(build('lru', {})));
  });

  it('a scenario sets tuning through the cache config; opt without a future is refused', () => {
    const tuning = tuningSchema.parse({ smallRatio: 0.5 });
    const config = {
      policy: 's3-fifo' as const,
      capacity: 300,
      tuning,
      samples: 5,
      lfuLogFactor: 10,
      lfuDecayMinutes: 1,
    };
    expect(misses(policyFor(config, createStream(1, 'x', 'y'), () => 0))).toBe(
      misses(build('s3-fifo', { smallRatio: 0.5 })),
    );
    expect(() =>
      policyFor({ ...config, policy: 'opt' }, createStream(1, 'x', 'y'), () => 0),
    ).toThrow('needs the future');
    expect(tuningSchema.safeParse({ smallRatio: 2 }).success).toBe(false);
    expect(tuningSchema.safeParse({ small: 0.2 }).success).toBe(false);
  });
});
