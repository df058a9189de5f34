import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FEATURES, scenarioArbitrary } from '../../testing/arbitraries.ts';
import { observeRun, parseGenerated, scenarioViolations } from '../../testing/invariants.ts';
import { assertScenarioProperty } from '../../testing/replay.ts';

// Random valid stacks through the full engine. Each scenario is run three times (twice with its
// seed, once with another) and checked for: the clock never going back, caches within capacity
// after every event, results JSON valid against its schema with no NaN/negative numbers, every
// client request ending exactly once, Little's law per component, determinism and seed use.
// Failures write the shrunk scenario to test-output/failures/ (see testing/replay.ts).

describe('generated stacks keep every invariant', () => {
  test('the generator reaches every feature in at least 5% of scenarios', () => {
    const samples = fc.sample(scenarioArbitrary(), { numRuns: 400, seed: 1 });
    for (const f of FEATURES) {
      const share = samples.filter((s) => s.features[f]).length / samples.length;
      expect(share, f).toBeGreaterThan(0.05);
      expect(share, f).toBeLessThan(0.95);
    }
    for (const s of samples.slice(0, 50)) expect(() => parseGenerated(s.scenario)).not.toThrow();
  });

  test('small stacks (≤ 1 500 requests): 400 scenarios', () => {
    assertScenarioProperty(
      'stacks-small',
      scenarioArbitrary({ maxRequests: 1500 }),
      (g) => g.scenario,
      (g) => {
        const v = scenarioViolations(g.scenario);
        if (v.length > 0) throw new Error(JSON.stringify(v));
      },
      { numRuns: 400 },
    );
  });

  test('larger stacks (≤ 5 000 requests) with every feature on: 40 scenarios', () => {
    const all = Object.fromEntries(FEATURES.map((f) => [f, true]));
    assertScenarioProperty(
      'stacks-full',
      scenarioArbitrary({ maxRequests: 5000, features: all }),
      (g) => g.scenario,
      (g) => {
        const v = scenarioViolations(g.scenario);
        if (v.length > 0) throw new Error(JSON.stringify(v));
      },
      { numRuns: 40 },
    );
  });

  test('the checks can fail: a cache with capacity is observed after every event', () => {
    const [g] = fc.sample(scenarioArbitrary({ features: { kvStore: true, httpCache: true } }), {
      numRuns: 1,
      seed: 3,
    });
    const observed = observeRun(parseGenerated(g!.scenario));
    expect(Number.isFinite(observed.cacheExcess)).toBe(true);
    expect(observed.cacheExcess).toBeLessThanOrEqual(0);
    expect(observed.clockReversals).toBe(0);
    expect(observed.events).toBe(observed.result.events);
  });
});
