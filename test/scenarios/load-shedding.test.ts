// scenarios/load-shedding.json: FIFO vs deadline drops vs CoDel vs adaptive LIFO vs priority at
// 2× overload (capacity 800 req/s, offered 1 600 req/s, callers give up after 1 s).
import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../unit/wiring/scenario-run.ts';

const CAPACITY = 800;

function run(queue: Record<string, unknown> | undefined, duration = '8s') {
  const out = runScenarioFile('load-shedding', (raw) => {
    raw.run.duration = duration;
    raw.run.warmup = '3s';
    if (queue !== undefined) raw.components.api.queue = queue;
  });
  const c = out.components;
  const goodput = c.checkout!.ratios.goodput! + c.browse!.ratios.goodput!;
  return { c, goodput };
}

describe('load-shedding.json at twice the capacity', () => {
  it('FIFO: the queue outlives every caller, goodput collapses, the work is wasted', () => {
    const { c, goodput } = run(undefined);
    expect(goodput).toBeLessThan(0.05 * CAPACITY);
    expect(c.api!.utilisation).toBeGreaterThan(0.99);
    expect(c.api!.ratios.wastedShare).toBeGreaterThan(0.9);
  });

  it('CoDel (folly, slough waits > 2 × target) keeps goodput at capacity and wastes nothing', () => {
    const { c, goodput } = run({
      discipline: 'fifo',
      limit: 2000,
      codel: { mode: 'slough', target: '5ms', interval: '100ms' },
    });
    expect(goodput).toBeGreaterThan(0.9 * CAPACITY);
    expect(c.api!.counters.codel).toBeGreaterThan(0);
    expect(c.api!.ratios.wastedShare).toBeLessThan(0.01);
  });

  it('RFC 8289 CoDel sheds at a rate that grows as √count / interval: too slowly for 2× overload', () => {
    // Dropping at interval/√count reaches 800 drops/s only after count = (800 × 0.1)² = 6 400
    // drops, about 16 s into the overload: after 25 s better than FIFO, far from folly's variant.
    const fifo = run(undefined, '20s').goodput;
    const rfc = { discipline: 'fifo', limit: 2000, codel: { mode: 'rfc' } };
    const { c, goodput } = run(rfc, '20s');
    expect(c.api!.counters.codel).toBeGreaterThan(1000);
    expect(goodput).toBeGreaterThan(fifo + 0.05 * CAPACITY);
    expect(goodput).toBeLessThan(0.5 * CAPACITY);
  });

  it('adaptive LIFO serves fresh requests while the stale ones wait', () => {
    const { goodput } = run({ discipline: 'adaptive-lifo', lifoAbove: 8, limit: 2000 });
    expect(goodput).toBeGreaterThan(0.9 * CAPACITY);
  });

  it('priority by class: every checkout succeeds, recommendations take what is left', () => {
    const { c, goodput } = run({
      discipline: 'fifo',
      limit: 200,
      priority: ['checkout', 'recommendations'],
    });
    expect(c.checkout!.ratios.goodputShare).toBeGreaterThan(0.98);
    expect(c.browse!.ratios.goodputShare).toBeLessThan(0.5);
    expect(goodput).toBeGreaterThan(0.9 * CAPACITY);
    expect(c.api!.counters['shed-priority']).toBeGreaterThan(0);
  });

  it('dropping expired work at dequeue alone does not save FIFO: served work is near its deadline', () => {
    const { c, goodput } = run({ discipline: 'fifo', limit: 2000, dropExpired: true });
    expect(c.api!.counters.expired).toBeGreaterThan(0);
    expect(goodput).toBeLessThan(0.1 * CAPACITY);
  });

  it('every request the service saw ended once or is still inside it; shed ones are counted', () => {
    for (const q of [
      undefined,
      { discipline: 'fifo', limit: 2000, codel: {} },
      { discipline: 'fifo', limit: 200, priority: ['checkout'] },
    ]) {
      const api = run(q).c.api!;
      const inside = (api.extras as { inFlightAtEnd: number }).inFlightAtEnd;
      // arrivals and completions count the measured period only; the level at the start of it
      // (what was inside at the end of warm-up) is what makes up the difference
      expect(api.completions).toBeGreaterThan(0);
      const shed = ['codel', 'queue-full', 'shed-priority', 'expired', 'queue-timeout'].reduce(
        (a, k) => a + (api.counters[k] ?? 0),
        0,
      );
      expect(shed).toBe(api.byStatus['503'] ?? 0);
      expect(inside).toBeGreaterThanOrEqual(0);
    }
  });
});
