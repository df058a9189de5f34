import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validateScenario } from '../../models/scenario/load.ts';
import { scenarioArbitrary } from '../../testing/arbitraries.ts';
import { observeRun, parseGenerated, scenarioViolations } from '../../testing/invariants.ts';
import { boundExcess, intervalExcess, LimiterWatch } from '../../testing/limiter-bounds.ts';
import { assertScenarioProperty } from '../../testing/replay.ts';

// Generated stacks with a rate-limiter component on the path and a rateLimit middleware step
// in the first app server: every invariant of stacks.test.ts plus "every local limiter stays
// within its bound" for every key on every instance (testing/limiter-bounds.ts).

const limited = () => scenarioArbitrary({ features: { rateLimiter: true, rateLimitGate: true } });

describe('generated stacks with rate limiters keep every invariant', () => {
  test('limiter stacks: 100 scenarios', () => {
    assertScenarioProperty(
      'stacks-limiters',
      limited(),
      (g) => g.scenario,
      (g) => {
        const v = scenarioViolations(g.scenario);
        if (v.length > 0) throw new Error(JSON.stringify(v));
      },
      { numRuns: 100 },
    );
  });

  test('the watch sees both limiters bind: admissions and rejections', () => {
    let admissions = 0;
    let rejected = 0;
    for (const g of fc.sample(limited(), { numRuns: 20, seed: 5 })) {
      const scenario = parseGenerated(g.scenario);
      const watch = new LimiterWatch();
      const r = observeRun(scenario, {}, (run) => watch.attach(run, scenario)).result;
      expect(watch.counts().limiters).toBeGreaterThanOrEqual(2);
      admissions += watch.counts().admissions;
      rejected += (r.components.rl?.byStatus['429'] ?? 0) + (r.components.rl?.byStatus['503'] ?? 0);
    }
    expect(admissions).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(100);
  });

  test('the bound check can fail: an over-admitting limiter is reported', () => {
    const [g] = fc.sample(limited(), { numRuns: 1, seed: 9 });
    const raw = g!.scenario as { components: Record<string, Record<string, unknown>> };
    raw.components.rl!.algorithm = { algorithm: 'fixed-window', limit: 1, window: '10s' };
    raw.components.rl!.key = 'global';
    const scenario = parseGenerated(raw);
    const watch = new LimiterWatch();
    observeRun(scenario, {}, (run) => {
      // Break the limiter: admit whatever it decides, before the watch wraps it.
      const s = run.built.sim.stateOf<{
        limiter: { algorithmFor(t: string): { decide: (...a: never[]) => object } };
      }>(run.built.sim.find('rl')!);
      const algo = s.limiter.algorithmFor('');
      const decide = algo.decide.bind(algo);
      algo.decide = (...a: never[]) => ({ ...decide(...a), allowed: true, delay: 0 });
      watch.attach(run, scenario);
    });
    expect(watch.counts().admissions).toBeGreaterThan(1);
    expect(watch.violations().join('\n')).toMatch(/^rl fixed-window key /m);
  });

  test('a bad rateLimit step is a validation issue, not a build-time exception (fuzz find)', () => {
    const [g] = fc.sample(limited(), { numRuns: 1, seed: 2 });
    const raw = g!.scenario as { components: { app0: { middleware: Record<string, unknown>[] } } };
    raw.components.app0.middleware = [{ rateLimit: { algorithm: 'token-bucket', burst: 3 } }];
    const missing = validateScenario(raw);
    expect(missing.ok ? [] : missing.issues.map((i) => i.pointer)).toEqual([
      '/components/app0/middleware/0/rateLimit/rate',
    ]);
    raw.components.app0.middleware = [{ rateLimit: { algorithm: 'nope' } }];
    const unknown = validateScenario(raw);
    expect(unknown.ok ? [] : unknown.issues.map((i) => i.pointer)).toEqual([
      '/components/app0/middleware/0/rateLimit/algorithm',
    ]);
  });

  test('bounds: exact at the edge, positive one past it', () => {
    const s = 1_000_000;
    // Continuous bucket b = 2, r = 1/s: 2 at t = 0 then 1 at t = 1 s is exactly on the bound.
    expect(intervalExcess([0, 0, s], 2, 1 / s)).toBeCloseTo(0, 9);
    expect(intervalExcess([0, 0, s - 1], 2, 1 / s)).toBeGreaterThan(0);
    const fw = { algorithm: 'fixed-window', limit: 2, window: s };
    expect(boundExcess(fw, [0, 1, s, s + 1])).toBe(0);
    expect(boundExcess(fw, [0, 1, 2])).toBe(1);
    const log = { algorithm: 'sliding-log', limit: 2, window: s };
    expect(boundExcess(log, [0, 1, s])).toBeLessThanOrEqual(0);
    expect(boundExcess(log, [0, 1, s - 1])).toBeGreaterThan(0);
    const tick = { algorithm: 'token-bucket-tick', burst: 1, interval: s, tokensPerFill: 1 };
    expect(boundExcess(tick, [s - 1, s])).toBe(0);
    expect(boundExcess(tick, [s, s + 1])).toBeGreaterThan(0);
  });
});
