import { z } from 'zod';
import { duration, durationOrZero, positiveInt } from '../core/units.ts';

/**
 * Autoscaler over the balancer's backend group. The group is built with its maximum number of
 * replicas; only `min` start active, and the balancer sends only to active ones.
 */
export const autoscaleSchema = z
  .strictObject({
    metric: z
      .enum(['utilisation', 'inflight'])
      .default('utilisation')
      .describe('what is compared with target, averaged over active replicas'),
    target: z.number().positive().describe('utilisation (0–1) or in-flight requests per replica'),
    interval: duration().default(15_000_000).describe('how often the metric is read'),
    scaleUpStep: positiveInt(100_000).default(4).describe('most replicas added at once'),
    scaleDownStep: positiveInt(100_000).default(1).describe('most replicas removed at once'),
    cooldown: durationOrZero()
      .default(60_000_000)
      .describe('no new decision this long after a change'),
    min: positiveInt(100_000).default(1).describe('fewest active replicas'),
    max: positiveInt(100_000).optional().describe('default: every backend'),
    provisioningDelay: durationOrZero().default(30_000_000).describe('boot time before traffic'),
  })
  .refine((a) => a.max === undefined || a.max >= a.min, { error: 'expected max >= min' });
/** Parsed autoscaler config. */
export type AutoscaleConfig = z.output<typeof autoscaleSchema>;

/**
 * The Kubernetes HPA rule: desired = ceil(current × metric / target), clamped to [min, max] and
 * to the step sizes. `current` counts replicas that are active or still provisioning. Returns the
 * new replica count (equal to `current` for no change).
 */
export function desiredReplicas(
  current: number,
  metric: number,
  cfg: Pick<AutoscaleConfig, 'target' | 'scaleUpStep' | 'scaleDownStep' | 'min'>,
  max: number,
): number {
  let desired = Math.ceil((current * metric) / cfg.target - 1e-9);
  desired = Math.min(desired, current + cfg.scaleUpStep);
  desired = Math.max(desired, current - cfg.scaleDownStep);
  return Math.max(cfg.min, Math.min(max, desired));
}
