import { describe, expect, it } from 'vitest';
import {
  erfc,
  logGamma,
  normalCdf,
  normalQuantile,
  normalTail,
  regularizedBeta,
} from '../../../../engine/index.ts';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('special functions against reference values', () => {
  it('logGamma matches factorials and Γ(1/2) = sqrt(pi)', () => {
    for (let n = 1; n <= 20; n++) {
      let f = 1;
      for (let k = 2; k < n; k++) f *= k;
      expect(Math.abs(logGamma(n) - Math.log(f))).toBeLessThan(1e-12 * Math.max(1, Math.log(f)));
    }
    expect(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI))).toBeLessThan(1e-13);
    expect(Math.abs(logGamma(1e-3) - 6.907178885383853)).toBeLessThan(1e-12);
  });

  it.each([
    [0.1, 0.8875370839817152],
    [1, 0.15729920705028513],
    [2.5, 4.06952017444959e-4],
    [3, 2.209049699858544e-5],
    [5, 1.537459794428035e-12],
    [10, 2.088487583762545e-45],
  ])('erfc(%d)', (x, expected) => {
    expect(rel(erfc(x), expected)).toBeLessThan(1e-12);
    expect(Math.abs(erfc(-x) - (2 - expected))).toBeLessThan(1e-15);
  });

  it('normal quantile inverts the CDF from 1e-12 to 1 - 1e-12', () => {
    expect(rel(normalQuantile(0.975), 1.959963984540054)).toBeLessThan(1e-14);
    expect(rel(normalQuantile(0.99), 2.3263478740408408)).toBeLessThan(1e-14);
    for (const p of [1e-12, 1e-6, 0.01, 0.3, 0.5 + 1e-9, 0.9, 0.999999]) {
      const x = normalQuantile(p);
      expect(rel(p < 0.5 ? normalCdf(x) : 1 - normalTail(x), p)).toBeLessThan(1e-9);
    }
    expect(() => normalQuantile(0)).toThrow(RangeError);
  });

  it('regularizedBeta matches closed forms', () => {
    // I_x(1, b) = 1 - (1 - x)^b; I_x(a, 1) = x^a; I_x(2, 3) = 1 - (1-x)^4 - 4x(1-x)^3.
    for (const x of [0.01, 0.2, 0.5, 0.9, 0.999]) {
      expect(rel(regularizedBeta(x, 1, 3.5), 1 - (1 - x) ** 3.5)).toBeLessThan(1e-12);
      expect(rel(regularizedBeta(x, 2.5, 1), x ** 2.5)).toBeLessThan(1e-12);
      expect(rel(regularizedBeta(x, 2, 3), 1 - (1 - x) ** 4 - 4 * x * (1 - x) ** 3)).toBeLessThan(
        1e-11,
      );
    }
  });
});
