import { describe, expect, it } from 'vitest';
import { runScenarioFile, sumRange } from './scenario-run.ts';

describe('scenarios/dns-failover.json (shortened: TTL 30 s, move at 20 s, outage 100–140 s)', () => {
  const out = runScenarioFile('dns-failover', (raw) => {
    raw.run.duration = '160s';
    raw.components.users.arrival.rate = '20/s';
    const record = raw.components.auth.records[0];
    record.ttl = '30s';
    record.changes[0].at = '20s';
    raw.timeline[0].at = '100s';
    raw.timeline[0].for = '40s';
  });
  const lbA = out.series('lb-a', 'arrivals');
  const lbB = out.series('lb-b', 'arrivals');
  const v0 = out.series('resolver', 'counter.answers-v0');
  const v1 = out.series('resolver', 'counter.answers-v1');
  const lastNonZero = (xs: number[]) => xs.reduce((last, x, i) => (x > 0 ? i : last), -1);
  const firstNonZero = (xs: number[]) => xs.findIndex((x) => x > 0);

  it('answers move to the new address and the clients follow within one TTL of the change', () => {
    expect(sumRange(v0, 0, 20)).toBeGreaterThan(0);
    expect(lastNonZero(v0)).toBeLessThan(20);
    expect(firstNonZero(v1)).toBeGreaterThanOrEqual(20);
    expect(sumRange(lbB, 0, 20)).toBe(0);
    expect(sumRange(lbA, 0, 20)).toBeGreaterThan(0);
    // The resolver's entry from t=0 lives 30 s; the clients' caches end with it.
    expect(lastNonZero(lbA)).toBeLessThanOrEqual(20 + 30);
    expect(sumRange(lbB, 60, 160)).toBeGreaterThan(0);
  });

  it('serve-stale keeps names resolving while the authoritative is down', () => {
    const c = out.components;
    expect(c.resolver!.counters.staleServed).toBeGreaterThan(0);
    expect(c.users!.counters.dnsFailures ?? 0).toBe(0);
    expect(sumRange(lbB, 100, 140)).toBeGreaterThan(0.9 * 20 * 8 * 40);
    expect(c.users!.counters.dnsBrowserHits).toBeGreaterThan(c.users!.counters.dnsQueries!);
  });
});
