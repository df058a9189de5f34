import { describe, expect, it } from 'vitest';
import { guardUserAlgorithm } from '../../../models/core/user-algorithm.ts';

describe('guardUserAlgorithm', () => {
  it('keeps fields, own methods and class methods, and names the module when one throws', () => {
    class Counter {
      readonly name = 'counter';
      n = 0;
      pick(): number {
        this.n++;
        if (this.n === 3) throw new Error('third pick');
        return this.n;
      }
    }
    const g = guardUserAlgorithm('./counter.ts', new Counter());
    expect(g.name).toBe('counter');
    expect(g.pick()).toBe(1);
    expect(g.pick()).toBe(2);
    expect(g.n).toBe(2);
    expect(() => g.pick()).toThrow('algorithm module ./counter.ts threw in pick(): third pick');
    const plain = guardUserAlgorithm('./p.ts', { size: () => 7 });
    expect(plain.size()).toBe(7);
  });
});
