// scenarios/circuit-breaker.json: a breaker per service turns one bad shard into a full outage
// (Brooker 2022, validation case R-6); a breaker per shard does not.
import { describe, expect, it } from 'vitest';
import { runScenarioFile, sumRange } from '../unit/wiring/scenario-run.ts';

function run(placement: 'per-service' | 'per-target') {
  return runScenarioFile('circuit-breaker', (raw) => {
    raw.run.duration = '30s';
    raw.components.breaker.placement = placement;
  });
}

describe('circuit-breaker.json: one of three shards overloaded for 20 s', () => {
  const perService = run('per-service');
  const perShard = run('per-target');
  // windows of the incident: t = 15–35 s from time 0 (warm-up 5 s + the fault at 10 s)
  const incidentShare = (out: typeof perService) =>
    sumRange(out.series('clients', 'ok'), 16, 35) /
    sumRange(out.series('clients', 'completions'), 16, 35);

  it('per service: the breaker opens and refuses the healthy shards too (full outage)', () => {
    expect(perService.components.breaker!.counters.opened).toBeGreaterThanOrEqual(1);
    expect(incidentShare(perService)).toBeLessThan(0.34);
  });

  it('per shard: only the bad shard is cut off; the other two thirds keep succeeding', () => {
    const share = incidentShare(perShard);
    expect(share).toBeGreaterThan(0.6);
    expect(share).toBeGreaterThan(incidentShare(perService) + 0.3);
    const opens = (perShard.components.breaker!.extras as { opens: number[] }).opens;
    expect(opens[0]).toBeGreaterThanOrEqual(1);
    expect(opens[1]).toBe(0);
    expect(opens[2]).toBe(0);
  });

  it('every request through the breaker is answered: forwarded or refused, none lost', () => {
    for (const out of [perService, perShard]) {
      const b = out.components.breaker!;
      // what arrived and was not answered is still inside: never more than the most inside
      expect(Math.abs(b.arrivals - b.completions)).toBeLessThanOrEqual(b.inSystem.max);
      expect(b.byStatus['503']!).toBeGreaterThanOrEqual(b.counters.notPermitted ?? 0);
    }
  });
});
