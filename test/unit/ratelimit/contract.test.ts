// One contract suite (testing/contracts/limiter.ts) run over every limiter; the same suite
// checks user modules in `stacksim check-algorithm --family limiter`.
import { describe, expect, it } from 'vitest';
import type { LimiterAlgorithm } from '../../../models/ratelimit/algorithm.ts';
import { ALGORITHM_NAMES, createAlgorithm } from '../../../models/ratelimit/spec.ts';
import { limiterContract } from '../../../testing/contracts/limiter.ts';
import { NOMINAL_SPECS } from '../../helpers/ratelimit-specs.ts';

const S = 1_000_000;

/** Limits on requests in flight: they free a slot on completion, not with time. */
const IN_FLIGHT: readonly string[] = ['adaptive-concurrency', 'concurrency'];
const RATE_BASED: readonly string[] = ALGORITHM_NAMES.filter((n) => !IN_FLIGHT.includes(n));

describe.each(ALGORITHM_NAMES)('limiter contract: %s', (name) => {
  const make = (): LimiterAlgorithm => createAlgorithm(NOMINAL_SPECS[name]);

  for (const property of limiterContract(make, {
    keyed: name !== 'adaptive-concurrency',
    inFlight: IN_FLIGHT.includes(name),
  })) {
    it(property.name, () => {
      expect(property.check()).toEqual({ ok: true });
    });
  }

  it.skipIf(!RATE_BASED.includes(name))(
    'admits about the nominal rate over a long overload',
    () => {
      const a = make();
      let admitted = 0;
      // 100 requests/s for 60 s against a nominal 10/s: expect 600 plus at most one burst.
      for (let t = 0; t < 60 * S; t += S / 100) if (a.decide('k', t).allowed) admitted++;
      // The sliding counter is approximate: under steady overload it admits about L − 1 per window.
      expect(admitted).toBeGreaterThanOrEqual(name === 'sliding-counter' ? 530 : 590);
      expect(admitted).toBeLessThanOrEqual(600 + 21);
    },
  );
});
