import { describe, expect, test } from 'vitest';
import { confidenceInterval, deriveSeed } from '../../../engine/index.ts';
import {
  combineRuns,
  runReplications,
  startReplication,
} from '../../../experiments/replications.ts';
import { ScenarioRun } from '../../../models/scenario/build.ts';
import { validateScenario } from '../../../models/scenario/load.ts';
import { TEST_KINDS } from '../../helpers/test-kinds.ts';

function scenario(run: Record<string, unknown> = {}) {
  const r = validateScenario(
    {
      version: 1,
      name: 'mm1',
      seed: 11,
      run: { duration: '5s', warmup: '1s', ...run },
      components: {
        client: { type: 'test-source', rate: '500/s', target: 'app' },
        app: { type: 'test-server', service: { dist: 'exponential', mean: '1ms' } },
      },
    },
    TEST_KINDS,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}
const kinds = TEST_KINDS;

describe('replications', () => {
  test('seeds are derived per replication and each metric gets mean, bounded interval and values', () => {
    const results = runReplications(scenario({ replications: 5 }), { kinds });
    expect(results.runs.map((r) => r.seed)).toEqual([0, 1, 2, 3, 4].map((i) => deriveSeed(11, i)));
    const values = results.runs.map((r) => r.components.app!.latency.mean);
    const ci = confidenceInterval(values);
    // a latency cannot be negative: the interval is the t interval carried on log(mean)
    const h = ci.halfWidth / ci.mean;
    const s = results.summary.app!['latency.mean']!;
    expect(s).toMatchObject({ mean: ci.mean, n: 5, values, method: 'log' });
    expect(s.halfWidth).toBeCloseTo(ci.halfWidth, 12);
    expect(s.lower).toBeCloseTo(ci.mean * Math.exp(-h), 12);
    expect(s.upper).toBeCloseTo(ci.mean * Math.exp(h), 12);
    expect(new Set(values).size).toBe(5);
  });

  test('a single replication has no interval (null) rather than Infinity', () => {
    const results = runReplications(scenario(), { kinds });
    expect(results.summary.app!.throughput).toMatchObject({
      n: 1,
      halfWidth: null,
      lower: null,
      upper: null,
    });
    expect(JSON.stringify(results)).not.toContain('Infinity');
  });

  test('running in slices gives the same results as running in one go', () => {
    const s = scenario();
    const whole = new ScenarioRun(s, { kinds }).finish();
    const sliced = new ScenarioRun(s, { kinds });
    let slices = 0;
    while (!sliced.advance(997)) slices++;
    expect(slices).toBeGreaterThan(10);
    expect(sliced.finish()).toEqual(whole);
  });

  test('a replication equals the same seed run directly (replications can be re-run alone)', () => {
    const s = scenario({ replications: 3 });
    const all = runReplications(s, { kinds });
    const third = startReplication(s, 2, { kinds }).finish();
    expect(third).toEqual(all.runs[2]);
  });

  test('a budget stops the replications early and marks the results partial', () => {
    const results = runReplications(scenario({ replications: 3, maxEvents: 2000 }), { kinds });
    expect(results.runs).toHaveLength(1);
    expect(results).toMatchObject({
      completed: false,
      partial: true,
      stoppedBy: 'maxEvents',
      events: 2000,
    });
    expect(combineRuns(scenario(), []).stoppedBy).toBe('until');
  });
});
