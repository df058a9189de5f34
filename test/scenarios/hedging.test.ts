// scenarios/hedging.json: redundancy with cancellation against Gardner et al. 2015, the
// hedging budget, and The Tail at Scale's fan-out, each within a stated tolerance.
import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../unit/wiring/scenario-run.ts';

const LAMBDA = 150;
const MU = 100;

function pair(hedge: Record<string, unknown>, seed: number, duration: string, warmup = '5s') {
  return runScenarioFile('hedging', (raw) => {
    raw.seed = seed;
    raw.run.warmup = warmup;
    raw.run.duration = duration;
    for (const id of ['parents', 'fanout', 'leaves']) delete raw.components[id];
    delete raw.variants;
    delete raw.baseline;
    delete raw.report;
    Object.assign(raw.components.hedge, hedge);
  }).components;
}

function fanOut(hedgeAfter: string | undefined) {
  return runScenarioFile('hedging', (raw) => {
    raw.run.duration = '100s';
    for (const id of ['clients', 'hedge', 'servers']) delete raw.components[id];
    delete raw.variants;
    delete raw.baseline;
    delete raw.report;
    if (hedgeAfter !== undefined) raw.components.fanout.hedgeAfter = hedgeAfter;
  }).components;
}

describe('hedging.json: two exponential servers, every request to both, loser cancelled', () => {
  it('mean response time is 1/(2μ − λ) = 20 ms (3 seeds × 200 s, within 6%)', () => {
    const means = [1, 2, 3].map((seed) => pair({}, seed, '200s').clients!.latency.mean);
    const mean = means.reduce((a, b) => a + b, 0) / means.length;
    expect(Math.abs(mean - 1 / (2 * MU - LAMBDA)) / (1 / (2 * MU - LAMBDA))).toBeLessThan(0.06);
  });

  it('every copy is accounted for: each extra copy was withdrawn, and the servers counted it', () => {
    // no warm-up: counters cover the whole run, so only copies still out at the end differ
    const c = pair({}, 1, '20s', '0s');
    const h = c.hedge!.counters;
    const open = c.hedge!.arrivals - c.hedge!.completions;
    expect(h.hedges).toBeGreaterThan(2000);
    expect(h.hedges! - h.cancels!).toBe(open);
    expect(c.servers!.counters.cancelled).toBe(h.cancels);
    expect(c.clients!.byStatus['200']).toBe(c.clients!.completions);
  });

  it('without redundancy (round robin) the mean is far above 20 ms; without cancel the servers overload', () => {
    expect(pair({ maxAttempts: 1 }, 1, '20s').clients!.latency.mean).toBeGreaterThan(0.025);
    expect(pair({ cancel: false }, 1, '20s').clients!.latency.mean).toBeGreaterThan(1);
  });

  it('hedging after the observed p95 respects its 10% budget and trims the tail', () => {
    const rr = pair({ maxAttempts: 1 }, 1, '20s').clients!.latency.p99;
    const c = pair({ delay: '50ms', delayPercentile: 95, budget: 0.1 }, 1, '20s');
    const hedges = c.hedge!.counters.hedges!;
    expect(hedges).toBeGreaterThan(0);
    expect(hedges).toBeLessThanOrEqual(0.1 * c.hedge!.arrivals + 1);
    expect(c.clients!.latency.p99).toBeLessThan(rr);
  });
});

describe('hedging.json: fan-out to 100 leaves, each slow with probability 1%', () => {
  it('1 − 0.99¹⁰⁰ = 63.4% of parents are slow (within 4 points over ~2 000 parents)', () => {
    const p = fanOut(undefined).parents!;
    const slow = (p.counters.timeouts ?? 0) / p.completions;
    expect(Math.abs(slow - (1 - 0.99 ** 100))).toBeLessThan(0.04);
  });

  it('copying slow leaf calls after 10 ms: about 1% slow parents for about 1% more leaf calls', () => {
    const c = fanOut('10ms');
    const slow = (c.parents!.counters.timeouts ?? 0) / c.parents!.completions;
    expect(slow).toBeLessThan(0.03);
    const leafCalls = c.fanout!.completions * 100;
    expect(c.fanout!.counters.hedges! / leafCalls).toBeLessThan(0.02);
  });
});
