import type { Rng } from '../rng.ts';
import {
  type Distribution,
  DistributionError,
  requireFinite,
  requireInteger,
} from './distribution.ts';

// (e^t - 1) / t and ln(1 + t) / t, continuous through t = 0 (so exponent s = 1 needs no branch).
function expm1OverT(t: number): number {
  return Math.abs(t) > 1e-8 ? Math.expm1(t) / t : 1 + (t / 2) * (1 + t / 3);
}
function log1pOverT(t: number): number {
  return Math.abs(t) > 1e-8 ? Math.log1p(t) / t : 1 - t * (0.5 - t / 3);
}

/** Σ_{k=1..n} k^-t, exactly for small n and by Euler–Maclaurin beyond k = 1000 (O(1) time). */
export function generalizedHarmonic(n: number, t: number): number {
  const direct = n <= 2000 ? n : 999;
  let sum = 0;
  for (let k = direct; k >= 1; k--) sum += k ** -t;
  if (direct === n) return sum;
  const m = direct + 1;
  const lr = Math.log(n / m);
  const integral = m ** (1 - t) * lr * expm1OverT((1 - t) * lr);
  const d1 = (x: number) => -t * x ** (-t - 1);
  const d3 = (x: number) => -t * (t + 1) * (t + 2) * x ** (-t - 3);
  return sum + integral + (m ** -t + n ** -t) / 2 + (d1(n) - d1(m)) / 12 - (d3(n) - d3(m)) / 720;
}

/**
 * Zipf over ranks 1..n with P(k) ∝ k^-s (s > 0), sampled by rejection-inversion
 * (Hörmann & Derflinger 1996): O(1) expected time and O(1) memory for any n up to 2^53.
 */
export function zipf(n: number, s: number): Distribution {
  requireInteger('zipf', 'n', n, 1);
  requireFinite('zipf', 's', s);
  if (s <= 0) throw new DistributionError(`zipf: s must be a positive finite number, got ${s}`);
  const oneMinusS = 1 - s;
  // H is an antiderivative of h(x) = x^-s; Hinv is its inverse.
  const h = (x: number) => Math.exp(-s * Math.log(x));
  const H = (x: number) => {
    const lx = Math.log(x);
    return lx * expm1OverT(oneMinusS * lx);
  };
  const Hinv = (y: number) => {
    const t = Math.max(-1, y * oneMinusS);
    return Math.exp(log1pOverT(t) * y);
  };
  const lowEnd = H(1.5) - 1;
  const highEnd = H(n + 0.5);
  const squeeze = 2 - Hinv(H(2.5) - h(2));
  const norm = generalizedHarmonic(n, s);
  const mean = generalizedHarmonic(n, s - 1) / norm;
  const second = generalizedHarmonic(n, s - 2) / norm;
  return {
    name: `zipf(n=${n}, s=${s})`,
    mean,
    variance: Math.max(0, second - mean * mean),
    sample: (rng: Rng) => {
      if (n === 1) return 1;
      for (;;) {
        const u = highEnd + rng.next() * (lowEnd - highEnd);
        const x = Hinv(u);
        let k = Math.floor(x + 0.5);
        if (k < 1) k = 1;
        else if (k > n) k = n;
        if (k - x <= squeeze || u >= H(k + 0.5) - h(k)) return k;
      }
    },
  };
}
