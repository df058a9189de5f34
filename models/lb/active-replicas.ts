import { type SimTime, TimeWeighted, toSeconds } from '../../engine/index.ts';
import type { ProbeExtras } from '../core/probe.ts';

/** Most replica-count changes kept for the results (later changes are counted, not listed). */
const MAX_STEPS = 200;

/**
 * The autoscaler's active replica count over time: a time-weighted gauge (mean, min, max over
 * the measured period) and the list of changes `[seconds, count]` since time 0 (warm-up
 * included, so the list reads as the count over the whole run). Results: extras.autoscale.
 */
export class ActiveReplicas implements ProbeExtras {
  private readonly gauge: TimeWeighted;
  private low: number;
  private high: number;
  private readonly steps: [number, number][] = [];
  private dropped = 0;

  constructor(now: SimTime, initial: number) {
    this.gauge = new TimeWeighted(now, initial);
    this.low = initial;
    this.high = initial;
    this.steps.push([toSeconds(now), initial]);
  }

  /** The active count changed to `n` at `now`. */
  set(now: SimTime, n: number): void {
    this.gauge.set(now, n);
    this.low = Math.min(this.low, n);
    this.high = Math.max(this.high, n);
    const last = this.steps[this.steps.length - 1];
    if (last !== undefined && last[0] === toSeconds(now)) last[1] = n;
    else if (this.steps.length < MAX_STEPS) this.steps.push([toSeconds(now), n]);
    else this.dropped++;
  }

  /** The active count now. */
  get current(): number {
    return this.gauge.current;
  }

  reset(now: SimTime): void {
    this.gauge.reset(now);
    this.low = this.gauge.current;
    this.high = this.gauge.current;
  }

  summary(now: SimTime): Record<string, unknown> {
    return {
      autoscale: {
        activeMean: this.gauge.mean(now),
        activeMin: this.low,
        activeMax: this.high,
        steps: this.steps.map(([t, n]) => [t, n]),
        ...(this.dropped === 0 ? {} : { stepsDropped: this.dropped }),
      },
    };
  }
}
