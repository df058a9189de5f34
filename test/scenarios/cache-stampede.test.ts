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

describe('cache-stampede figures: origin fetches per expiry and the coalesced wait', () => {
  const out = runScenarioFile('cache-stampede', (raw) => {
    raw.run.duration = '75s';
    for (const id of ['usersNone', 'usersLock', 'usersXfetch']) {
      raw.components[id].arrival.rate = '500/s';
    }
  });
  const c = out.components;

  it('counts each expiry once: many fetches per expiry without protection, one with coalescing or XFetch', () => {
    expect(c.edgeNone!.counters.expiries).toBeGreaterThanOrEqual(1);
    expect(c.edgeNone!.ratios.fetchesPerExpiry).toBeGreaterThan(20);
    expect(c.edgeLock!.ratios.fetchesPerExpiry).toBe(1);
    expect(c.edgeXfetch!.ratios.fetchesPerExpiry).toBe(1);
  });

  it('a request that joined a shared fetch waits in phase "coalesced", not "network"', () => {
    const lock = c.usersLock!.breakdown!;
    expect(lock.coalesced?.mean).toBeGreaterThan(0);
    expect(c.usersNone!.breakdown!.coalesced).toBeUndefined();
    // before the phase existed the wait landed in "network": it stays at the link latency
    expect(lock.network!.mean).toBeLessThan(c.usersNone!.breakdown!.network!.mean * 1.5);
  });
});
