import { describe, expect, it } from 'vitest';
import { runScenarioFile, sumRange } from '../unit/wiring/scenario-run.ts';

describe('scenarios/cache-stampede.json (shortened: 75 s at 500 req/s per edge)', () => {
  const out = runScenarioFile('cache-stampede', (raw) => {
    raw.run.duration = '75s';
    for (const id of ['usersNone', 'usersLock', 'usersXfetch']) {
      raw.components[id].arrival.rate = '500/s';
    }
  });
  const upstream = (edge: string) => out.series(edge, 'counter.upstream');

  it('without protection every concurrent miss at the expiry goes to the origin', () => {
    expect(sumRange(upstream('edgeNone'), 55, 75)).toBeGreaterThan(20);
  });

  it('coalescing sends one fetch per expiry; XFetch refreshes once, early, before it', () => {
    expect(out.components.edgeLock!.counters.upstream).toBeLessThanOrEqual(2);
    expect(out.components.edgeLock!.counters.coalesced).toBeGreaterThan(20);
    const x = out.components.edgeXfetch!.counters;
    expect(x.earlyRefresh).toBeGreaterThanOrEqual(1);
    // After the cold start, only early refreshes reach the origin.
    expect(sumRange(upstream('edgeXfetch'), 10, 75)).toBe(x.earlyRefresh);
  });
});
