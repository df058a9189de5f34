// scenarios/metastable-throttle.json: the same capacity cut recovers when short or shallow and
// leaves the system stuck when long (Huang et al. OSDI 2022 retry case, validation R-5), by seeds.
import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../unit/wiring/scenario-run.ts';

const SEEDS = [1, 2, 3, 4, 5];

function outcome(seed: number, edit: (t: Record<string, unknown>) => void) {
  const out = runScenarioFile('metastable-throttle', (raw) => {
    raw.seed = seed;
    raw.run.duration = '90s';
    edit(raw.timeline[0]);
  });
  return out.components.clients!.recovery![0]!;
}

describe('metastable-throttle.json: capacity cut to a fifth at t = 60 s', () => {
  it('a long cut (10 s) leaves every seed in the bad state long after the capacity is back', () => {
    const stuck = SEEDS.map((s) => outcome(s, () => {})).filter((r) => r.endedGood === 0);
    expect(stuck.length).toBe(SEEDS.length);
  });

  it('a shallow cut (to 2/3 for 10 s) recovers in every seed; a short one (3 s) in most', () => {
    // near the boundary the outcome is stochastic (Huang et al. say so too): seed 1's 3 s cut
    // tips the system over, seeds 2–5 recover
    const shallow = SEEDS.map((s) => outcome(s, (t) => (t.factor = 1.5)).endedGood);
    expect(shallow).toEqual([1, 1, 1, 1, 1]);
    const short = SEEDS.map((s) => outcome(s, (t) => (t.for = '3s')).endedGood);
    expect(short.filter((g) => g === 1).length).toBeGreaterThanOrEqual(4);
  });
});
