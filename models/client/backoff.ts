import { z } from 'zod';
import type { Rng } from '../../engine/index.ts';
import { duration } from '../core/units.ts';

/** Backoff schedule between attempts (base and cap in µs). */
export const backoffSchema = z.strictObject({
  kind: z
    .enum(['none', 'constant', 'exponential'])
    .default('exponential')
    .describe('how the wait grows with each attempt'),
  base: duration().default(25_000).describe('first backoff, e.g. "25ms" (Envoy base_interval)'),
  cap: duration().default(250_000).describe('longest backoff, e.g. "250ms" (Envoy: 10 × base)'),
});
/** A parsed backoff schedule. */
export type BackoffConfig = z.output<typeof backoffSchema>;

/** Jitter applied to the backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export const jitterSchema = z.enum(['none', 'full', 'equal', 'decorrelated']);
/** One jitter kind. */
export type Jitter = z.output<typeof jitterSchema>;

/** The un-jittered sleep before retry number `n` (0 for the first retry): min(cap, base·2^n). */
export function baseSleep(config: BackoffConfig, n: number): number {
  switch (config.kind) {
    case 'none':
      return 0;
    case 'constant':
      return Math.min(config.cap, config.base);
    case 'exponential':
      return Math.min(config.cap, config.base * 2 ** n);
  }
}

/**
 * The sleep before retry number `n` in µs, always within [0, cap]. `previous` is the
 * previous sleep (decorrelated jitter grows from it; pass 0 before the first retry).
 * Formulas: full = U(0, t); equal = t/2 + U(0, t/2); decorrelated = min(cap, U(base, 3·prev)).
 */
export function backoffSleep(
  config: BackoffConfig,
  jitter: Jitter,
  n: number,
  previous: number,
  rng: Rng,
): number {
  if (config.kind === 'none') return 0;
  const t = baseSleep(config, n);
  switch (jitter) {
    case 'none':
      return Math.round(t);
    case 'full':
      return Math.round(rng.next() * t);
    case 'equal':
      return Math.round(t / 2 + rng.next() * (t / 2));
    case 'decorrelated': {
      const prev = previous > 0 ? previous : config.base;
      const hi = Math.max(config.base, prev * 3);
      return Math.round(Math.min(config.cap, config.base + rng.next() * (hi - config.base)));
    }
  }
}
