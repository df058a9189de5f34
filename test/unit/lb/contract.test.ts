// One contract suite (testing/contracts/balancer.ts) run over every balancing algorithm; the same
// suite checks user modules in `stacksim check-algorithm --family balancer`.
import { describe, expect, it } from 'vitest';
import { BASE_ALGORITHMS, balancerFor } from '../../../models/lb/algorithms/index.ts';
import { balancerContract } from '../../../testing/contracts/balancer.ts';

const SPECS: [string, unknown][] = [
  ...BASE_ALGORITHMS.map((name): [string, unknown] => [name, name]),
  ['sticky(least-connections)', { name: 'sticky', ttl: '10s', fallback: 'least-connections' }],
  ['least-connections (nginx ties)', { name: 'least-connections', ties: 'nginx' }],
];

describe.each(SPECS)('balancer contract: %s', (_name, spec) => {
  for (const property of balancerContract(() => balancerFor(spec))) {
    it(property.name, () => {
      expect(property.check()).toEqual({ ok: true });
    });
  }
});

describe('the balancer contract catches a broken balancer', () => {
  it('always picking backend 0 fails eligibility with a shrunk counterexample', () => {
    const broken = { name: 'broken', cost: 'O(1)' as const, pick: () => 0 };
    const verdict = balancerContract(() => broken)[0]!.check();
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.message).toMatch(/returned 0/);
      expect(verdict.counterexample).toContain('weights');
    }
  });
});
