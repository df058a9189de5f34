import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../unit/wiring/scenario-run.ts';

describe('scenarios/cache-policies.json (shortened: 12 s after 3 s warm-up)', () => {
  const out = runScenarioFile('cache-policies', (raw) => {
    raw.run.duration = '12s';
    raw.run.warmup = '3s';
  });
  const hit = (id: string) => out.components[id]!.ratios.hitRatio!;

  it('reproduces the policy table ordering at 1 000 entries over Zipf(0.9), N = 1e5', () => {
    // docs/models/caching.md: lru 0.343, fifo 0.308, lfu 0.473, arc 0.448, s3-fifo 0.453.
    expect(hit('lru')).toBeGreaterThan(0.32);
    expect(hit('lru')).toBeLessThan(0.37);
    expect(hit('fifo')).toBeLessThan(hit('lru'));
    for (const id of ['arc', 's3fifo', 'sieve', 'tinylfu', 'redislfu']) {
      expect(hit(id), id).toBeGreaterThan(hit('lru') + 0.05);
    }
    expect(hit('lfu')).toBeGreaterThan(hit('lru') + 0.08);
    expect(Math.abs(hit('redislru') - hit('lru'))).toBeLessThan(0.02);
  });
});
