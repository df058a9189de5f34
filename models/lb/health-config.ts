import { z } from 'zod';
import { duration, nonNegativeInt, percent, positiveInt } from '../core/units.ts';

/** NGINX passive health: `max_fails` failures within `fail_timeout` take a server out for `fail_timeout`. */
export const passiveSchema = z.strictObject({
  maxFails: nonNegativeInt(1_000_000)
    .default(1)
    .describe('failures that mark a backend down; 0 disables'),
  failTimeout: duration()
    .default(10_000_000)
    .describe('window for counting failures and time marked down'),
  clock: z
    .enum(['exact', 'seconds'])
    .default('exact')
    .describe(
      "exact: down for failTimeout after the last failure; seconds: NGINX's bookkeeping in whole seconds (down while now − checked ≤ fail_timeout, fails reset only by a success after a re-check)",
    ),
});

/** Envoy outlier detection (consecutive 5xx), with ejection time growing per ejection. */
export const outlierSchema = z.strictObject({
  consecutive5xx: positiveInt(1_000_000)
    .default(5)
    .describe('eject a backend after this many 5xx in a row'),
  baseEjectionTime: duration().default(30_000_000),
  maxEjectionTime: duration().default(300_000_000),
  maxEjectionPercent: percent()
    .default(0.1)
    .describe('at most this share of backends ejected at once'),
});

/** Active health checks (HAProxy `check inter rise fall`): GET /healthz to every backend. */
export const activeCheckSchema = z.strictObject({
  interval: duration().default(2_000_000),
  timeout: duration().default(2_000_000),
  rise: positiveInt(1000).default(2).describe('passed checks in a row to mark a backend up'),
  fall: positiveInt(1000).default(3).describe('failed checks in a row to mark it down'),
  route: z.string().default('/healthz').describe('path of the check request'),
});

/** Slow start (HAProxy `slowstart`, Envoy SlowStartConfig with aggression 1): linear weight ramp. */
export const slowStartSchema = z.strictObject({
  window: duration().describe('time for a recovered or new backend to reach full weight'),
  minWeightPercent: percent().default(0.1).describe('weight at the start of the ramp (percent)'),
  ramp: z
    .enum(['linear', 'haproxy'])
    .default('linear')
    .describe(
      'linear: max(min, t/window), recomputed every window/20; haproxy: HAProxy slowstart steps, weight × ⌊(16k + S)/S⌋/16 in the k-th second after coming up (S = window in whole seconds), recomputed once a second',
    ),
});

/** Parsed passive-check config. */
export type PassiveConfig = z.output<typeof passiveSchema>;
/** Parsed outlier-detection config. */
export type OutlierConfig = z.output<typeof outlierSchema>;
/** Parsed active-check config. */
export type ActiveCheckConfig = z.output<typeof activeCheckSchema>;
/** Parsed slow-start config. */
export type SlowStartConfig = z.output<typeof slowStartSchema>;
