import { describe, expect, it } from 'vitest';
import {
  type CapacityEvaluate,
  type CapacityResult,
  type CapacitySpec,
  capacityEvaluator,
  capacitySearch,
  isIntegerSearch,
} from '../../../experiments/capacity.ts';
import { runExperiment } from '../../../experiments/job.ts';
import type { RunResult } from '../../../models/scenario/build.ts';
import { validateScenario } from '../../../models/scenario/load.ts';
import { kinds, mm1Scenario } from '../../helpers/exp-kinds.ts';
import { parse } from '../../helpers/exp-run.ts';

const spec = (over: Partial<CapacitySpec> = {}): CapacitySpec => ({
  parameter: 'components.users.rate',
  seek: 'max',
  from: '100/s',
  to: '1000/s',
  tolerance: '10/s',
  replications: 1,
  criterion: 'mean',
  objective: [{ component: 'users', metric: 'latency.p99', max: '200ms' }],
  ...over,
});
const gauge = { mean: 0, max: 0 };
/** A run result whose users p99 is `p99` seconds. */
const fake = (p99: number): RunResult =>
  ({
    components: {
      users: {
        latency: { p99 },
        byStatus: {},
        counters: {},
        ratios: {},
        queue: gauge,
        inSystem: gauge,
      },
    },
  }) as unknown as RunResult;

/** Drives a search with a stub: p99(value) for the parsed probe value; records the probed texts. */
function stub(s: CapacitySpec, p99: (v: number) => number): { r: CapacityResult; seen: string[] } {
  const seen: string[] = [];
  const evaluate: CapacityEvaluate = function* (text) {
    seen.push(String(text));
    yield [];
    return [fake(p99(Number.parseFloat(String(text))))];
  };
  const gen = capacitySearch(s, evaluate);
  let step = gen.next();
  while (step.done !== true) step = gen.next([]);
  return { r: step.value, seen };
}

describe("capacity search, seek 'max' (a load: more is worse)", () => {
  const load = (v: number) => (v < 437 ? 0.1 : 0.3);

  it('brackets a known threshold within the tolerance by bisection', () => {
    const { r, seen } = stub(spec(), load);
    expect(r.seek).toBe('max');
    expect(r.integer).toBe(false);
    expect(r.lastPass).toBeLessThan(437);
    expect(r.firstFail).toBeGreaterThanOrEqual(437);
    expect(r.firstFail! - r.lastPass!).toBeLessThanOrEqual(10);
    expect(r.converged).toBe(true);
    expect(seen.slice(0, 3)).toEqual(['100/s', '1000/s', '550/s']);
    expect(r.probes.every((p) => p.objectives[0]!.mean !== null)).toBe(true);
  });

  it('answers [null, from] when from already fails and [to, null] when to still passes', () => {
    expect(stub(spec({ from: '500/s' }), load).r).toMatchObject({ lastPass: null, firstFail: 500 });
    expect(stub(spec({ to: '400/s' }), load).r).toMatchObject({ lastPass: 400, firstFail: null });
  });

  it('bisects integers exactly when from, to and tolerance are plain integers', () => {
    const { r, seen } = stub(spec({ from: 1, to: 100, tolerance: 1 }), (v) =>
      v <= 37 ? 0.1 : 0.3,
    );
    expect(r).toMatchObject({ integer: true, lastPass: 37, firstFail: 38, converged: true });
    expect(seen.every((t) => Number.isInteger(Number(t)))).toBe(true);
  });

  it('finds the M/M/1 rate where the mean sojourn time reaches 10 ms (λ = 900/s at μ = 1000/s)', () => {
    const raw = mm1Scenario(100, 1000, {
      capacity: {
        parameter: 'components.users.rate',
        from: '500/s',
        to: '990/s',
        tolerance: '20/s',
        replications: 4,
        objective: [{ component: 'users', metric: 'latency.mean', max: '10ms' }],
      },
    });
    raw.run = { duration: '20s', warmup: '2s', replications: 1, window: '1s' };
    const scenario = parse(raw);
    expect(scenario.capacity?.seek).toBe('max');
    const r = runExperiment(
      capacitySearch(scenario.capacity!, capacityEvaluator(raw, scenario, kinds)),
      kinds,
    );
    expect(r.lastPass).toBeGreaterThanOrEqual(850);
    expect(r.firstFail).toBeLessThanOrEqual(950);
    expect(r.firstFail! - r.lastPass!).toBeLessThanOrEqual(20);
  });
});

describe("capacity search, seek 'min' (a resource: more is better)", () => {
  // p99 falls as the resource grows: passes from 6 on (integers) / from 6.25 on (reals)
  const servers = (v: number) => (v >= 6 ? 0.1 : 0.29);
  const cores = (v: number) => (v >= 6.25 ? 0.1 : 0.29);

  it('finds the smallest passing integer exactly, probing to, from, then integer midpoints', () => {
    const { r, seen } = stub(spec({ seek: 'min', from: 2, to: 10, tolerance: 1 }), servers);
    expect(r).toMatchObject({ seek: 'min', integer: true, converged: true });
    expect([r.firstFail, r.lastPass]).toEqual([5, 6]);
    expect([r.firstFailText, r.lastPassText]).toEqual([5, 6]);
    expect(seen).toEqual(['10', '2', '6', '4', '5']);
    expect(r.probes.map((p) => p.pass)).toEqual([true, false, true, false, false]);
  });

  it('finds the smallest passing integer for any threshold in the range', () => {
    for (let t = 3; t <= 40; t++) {
      const { r } = stub(spec({ seek: 'min', from: 2, to: 40, tolerance: 1 }), (v) =>
        v >= t ? 0.1 : 0.3,
      );
      expect([r.firstFail, r.lastPass]).toEqual([t - 1, t]);
    }
  });

  it('brackets a real threshold within the tolerance', () => {
    const { r } = stub(spec({ seek: 'min', from: 1, to: 20, tolerance: 0.05 }), cores);
    expect(r.integer).toBe(false);
    expect(r.lastPass).toBeGreaterThanOrEqual(6.25);
    expect(r.firstFail).toBeLessThan(6.25);
    expect(r.lastPass! - r.firstFail!).toBeLessThanOrEqual(0.05);
    expect(r.converged).toBe(true);
  });

  it('reports no answer when to fails, after probing only to', () => {
    const { r, seen } = stub(spec({ seek: 'min', from: 2, to: 5, tolerance: 1 }), servers);
    expect(r).toMatchObject({ lastPass: null, firstFail: 5, converged: true });
    expect(seen).toEqual(['5']);
  });

  it('answers [null, from] when from already passes', () => {
    const { r } = stub(spec({ seek: 'min', from: 7, to: 10, tolerance: 1 }), servers);
    expect(r).toMatchObject({ lastPass: 7, firstFail: null });
  });

  it('judges on the upper 95% bound with criterion upper', () => {
    // two replications per probe: p99 0.15 and 0.25 below 6 (mean 0.2 passes, upper fails)
    const s = spec({ seek: 'min', from: 2, to: 10, tolerance: 1, criterion: 'upper' });
    const gen = capacitySearch(s, function* (text) {
      yield [];
      const v = Number(text);
      return v >= 8 ? [fake(0.1), fake(0.1)] : [fake(v >= 6 ? 0.15 : 0.3), fake(0.25)];
    });
    let step = gen.next();
    while (step.done !== true) step = gen.next([]);
    expect([step.value.firstFail, step.value.lastPass]).toEqual([7, 8]);
  });

  it('finds the M/M/1 service rate for a 10 ms mean sojourn at λ = 100/s (μ = 200/s)', () => {
    const raw = mm1Scenario(100, 1000, {
      capacity: {
        parameter: 'components.server.serviceRate',
        seek: 'min',
        from: '110/s',
        to: '1000/s',
        tolerance: '20/s',
        replications: 4,
        objective: [{ component: 'users', metric: 'latency.mean', max: '10ms' }],
      },
    });
    raw.run = { duration: '30s', warmup: '2s', replications: 1, window: '1s' };
    const scenario = parse(raw);
    const r = runExperiment(
      capacitySearch(scenario.capacity!, capacityEvaluator(raw, scenario, kinds)),
      kinds,
    );
    expect(r.seek).toBe('min');
    expect(r.lastPass).toBeGreaterThanOrEqual(180);
    expect(r.lastPass).toBeLessThanOrEqual(240);
    expect(r.lastPass! - r.firstFail!).toBeLessThanOrEqual(20);
  });
});

describe('capacity block validation', () => {
  it('defaults seek to max and infers integer searches from plain integer bounds', () => {
    const base = {
      parameter: 'components.users.rate',
      from: '100/s',
      to: '900/s',
      tolerance: '10/s',
      objective: [{ component: 'users', metric: 'latency.mean', max: '10ms' }],
    };
    const s = parse(mm1Scenario(100, 1000, { capacity: base }));
    expect(s.capacity?.seek).toBe('max');
    expect(isIntegerSearch(s.capacity!)).toBe(false);
    expect(isIntegerSearch(spec({ from: 2, to: 9, tolerance: 1 }))).toBe(true);
    expect(isIntegerSearch(spec({ from: 2, to: 9, tolerance: 0.5 }))).toBe(false);
    expect(isIntegerSearch(spec({ from: 2, to: 9, tolerance: 1, integer: false }))).toBe(false);
  });

  it('rejects an unknown seek and non-integer ends of an integer search', () => {
    const cap = (over: object) => ({
      parameter: 'components.users.rate',
      from: 1,
      to: 9.5,
      tolerance: 1,
      objective: [{ component: 'users', metric: 'latency.mean', max: '10ms' }],
      ...over,
    });
    const bad = validateScenario(mm1Scenario(1, 2, { capacity: cap({ seek: 'least' }) }), kinds);
    expect(bad.ok ? [] : bad.issues.map((i) => i.pointer)).toEqual(['/capacity/seek']);
    const frac = validateScenario(mm1Scenario(1, 2, { capacity: cap({ integer: true }) }), kinds);
    expect(frac.ok ? [] : frac.issues.map((i) => i.pointer)).toEqual(['/capacity/to']);
  });
});
