// Invariants of the resilience mechanisms over generated call sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../models/resilience/breaker.ts';
import { breakerPolicySchema } from '../../models/resilience/breaker-schema.ts';

describe('circuit breaker properties', () => {
  it('never lets more than the permitted calls through in one half-open period', () => {
    fc.assert(
      fc.property(
        fc.record({
          permitted: fc.integer({ min: 1, max: 8 }),
          window: fc.integer({ min: 1, max: 20 }),
          min: fc.integer({ min: 1, max: 20 }),
          threshold: fc.integer({ min: 1, max: 100 }),
          time: fc.boolean(),
        }),
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 3_000_000 }),
            acquire: fc.boolean(),
            failed: fc.boolean(),
            pick: fc.nat(),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        (cfg, steps) => {
          const b = new CircuitBreaker(
            breakerPolicySchema.parse({
              slidingWindowType: cfg.time ? 'TIME_BASED' : 'COUNT_BASED',
              slidingWindowSize: cfg.window,
              minimumNumberOfCalls: cfg.min,
              failureRateThreshold: cfg.threshold,
              waitDurationInOpenState: '1s',
              permittedNumberOfCallsInHalfOpenState: cfg.permitted,
            }),
          );
          let now = 0;
          const outstanding: number[] = [];
          let generation = -1;
          let letThrough = 0;
          for (const s of steps) {
            now += s.gap;
            if (s.acquire || outstanding.length === 0) {
              const g = b.acquire(now);
              if (b.state === 'half-open') {
                if (b.generation !== generation) {
                  generation = b.generation;
                  letThrough = 0;
                }
                if (g >= 0) letThrough++;
                expect(letThrough).toBeLessThanOrEqual(cfg.permitted);
                expect(b.halfOpenCalls).toBeLessThanOrEqual(cfg.permitted);
              }
              if (g >= 0) outstanding.push(g);
            } else {
              const [g] = outstanding.splice(s.pick % outstanding.length, 1);
              b.record(now, g!, s.failed, 1000);
            }
          }
        },
      ),
      { seed: 20, numRuns: 300 },
    );
  });
});
