import type { SimTime } from '../../engine/index.ts';
import type { ProbeExtras } from '../core/probe.ts';

/**
 * Requests a sticky balancer sent to each backend over the measured period, and the imbalance
 * that stickiness costs: the busiest backend's count ÷ the mean over all backends (1 = even).
 * Results: extras.spread.
 */
export class BackendSpread implements ProbeExtras {
  private readonly sent: number[];

  constructor(n: number) {
    this.sent = new Array<number>(n).fill(0);
  }

  /** One request (attempt) went to backend i. */
  add(i: number): void {
    this.sent[i] = (this.sent[i] ?? 0) + 1;
  }

  reset(_now: SimTime): void {
    this.sent.fill(0);
  }

  summary(_now: SimTime): Record<string, unknown> {
    const total = this.sent.reduce((a, b) => a + b, 0);
    const mean = total / Math.max(1, this.sent.length);
    const max = Math.max(0, ...this.sent);
    return { spread: { perBackend: [...this.sent], imbalance: mean === 0 ? 1 : max / mean } };
  }
}
