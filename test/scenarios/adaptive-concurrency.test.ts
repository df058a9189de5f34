// scenarios/adaptive-concurrency.json: past the latency law's capacity, no limit collapses,
// a static limit caps throughput, AIMD finds more goodput than the static limit.
import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../unit/wiring/scenario-run.ts';

function run(algorithm: Record<string, unknown> | undefined) {
  return runScenarioFile('adaptive-concurrency', (raw) => {
    raw.run.duration = '30s';
    if (algorithm !== undefined) raw.components.limiter.algorithm = algorithm;
  }).components;
}

describe('adaptive-concurrency.json at 250 req/s against at most 200 req/s', () => {
  const aimd = run(undefined);
  const fixed = run({ algorithm: 'concurrency', limit: 20 });
  const none = run({ algorithm: 'concurrency', limit: 1_000_000 });

  it('without a limit every call outlives its caller: no goodput, most work wasted', () => {
    expect(none.clients!.ratios.goodput).toBeLessThan(5);
    expect(none.server!.ratios.wastedShare).toBeGreaterThan(0.5);
  });

  it('a static limit of 20 caps throughput at 20 / 0.2 s = 100 req/s', () => {
    expect(Math.abs(fixed.clients!.ratios.goodput! - 100)).toBeLessThan(5);
  });

  it('AIMD beats the static limit and sheds with 429 instead of wasting work', () => {
    expect(aimd.clients!.ratios.goodput).toBeGreaterThan(fixed.clients!.ratios.goodput! + 10);
    expect(aimd.clients!.byStatus['429']).toBeGreaterThan(0);
    expect(aimd.server!.ratios.wastedShare ?? 0).toBeLessThan(0.01);
  });
});
