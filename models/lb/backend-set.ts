import type { SimTime } from '../../engine/index.ts';
import type { BackendView } from './algorithm.ts';

/** One backend as configured: actor id, weight, backup flag and connection limit (0 = none). */
export interface BackendSpec {
  readonly id: string;
  readonly weight: number;
  readonly backup: boolean;
  readonly maxconn: number;
  /** The product's address of this backend ("host:port"), for NGINX's hash ring. */
  readonly address?: string;
}

/**
 * The balancer's own picture of its backends, and the BackendView the algorithms read. A backend
 * is healthy when it is active (provisioned) and no health mechanism (active check, passive
 * NGINX marking, Envoy ejection) holds it down. Eligible = healthy primaries; all active
 * primaries in panic mode (healthy share below the threshold); healthy backups when no primary
 * is eligible. Call refresh() after changing any flag or slow-start factor.
 */
export class BackendSet implements BackendView {
  readonly n: number;
  version = 0;
  now: SimTime = 0;
  eligible: readonly number[] = [];
  totalInflight = 0;
  /** True while the healthy share of primaries is below the panic threshold. */
  panic = false;
  readonly specs: readonly BackendSpec[];
  /** Serving traffic (autoscaled replicas not yet provisioned are 0). */
  readonly active: Uint8Array;
  /** Active health checks say up. */
  readonly checkUp: Uint8Array;
  /** Marked down by passive checks (NGINX max_fails / fail_timeout). */
  readonly passiveDown: Uint8Array;
  /** Ejected by outlier detection (Envoy). */
  readonly ejected: Uint8Array;
  /** Slow-start multiplier of the weight, 0 < f <= 1. */
  readonly factor: Float64Array;
  readonly counts: Int32Array;
  /** ORACLE capability (see BackendView.peekQueue); set only when the scenario allows it. */
  peekQueue?: (i: number) => number;
  private readonly flags: Uint8Array;
  private readonly panicThreshold: number;

  constructor(specs: readonly BackendSpec[], panicThreshold = 0) {
    this.specs = specs;
    this.n = specs.length;
    this.active = new Uint8Array(this.n).fill(1);
    this.checkUp = new Uint8Array(this.n).fill(1);
    this.passiveDown = new Uint8Array(this.n);
    this.ejected = new Uint8Array(this.n);
    this.factor = new Float64Array(this.n).fill(1);
    this.counts = new Int32Array(this.n);
    this.flags = new Uint8Array(this.n);
    this.panicThreshold = panicThreshold;
    this.refresh();
  }

  /** Whether backend i is active and not held down by any health mechanism. */
  healthy(i: number): boolean {
    return (
      this.active[i] === 1 &&
      this.checkUp[i] === 1 &&
      this.passiveDown[i] === 0 &&
      this.ejected[i] === 0
    );
  }

  /** Recomputes the eligible list; bumps the version when it or a weight may have changed. */
  refresh(): void {
    const healthy: number[] = [];
    const activePrimaries: number[] = [];
    const backups: number[] = [];
    for (let i = 0; i < this.n; i++) {
      const spec = this.specs[i]!;
      if (spec.backup) {
        if (this.healthy(i)) backups.push(i);
      } else if (this.active[i] === 1) {
        activePrimaries.push(i);
        if (this.healthy(i)) healthy.push(i);
      }
    }
    this.panic =
      this.panicThreshold > 0 &&
      activePrimaries.length > 0 &&
      healthy.length < this.panicThreshold * activePrimaries.length;
    const next = this.panic ? activePrimaries : healthy.length > 0 ? healthy : backups;
    this.flags.fill(0);
    for (const i of next) this.flags[i] = 1;
    this.eligible = next;
    this.version++;
  }

  isEligible(i: number): boolean {
    return this.flags[i] === 1;
  }

  weight(i: number): number {
    return this.specs[i]!.weight * this.factor[i]!;
  }

  baseWeight(i: number): number {
    return this.specs[i]!.weight;
  }

  inflight(i: number): number {
    return this.counts[i]!;
  }

  name(i: number): string {
    return this.specs[i]!.id;
  }

  address(i: number): string | undefined {
    return this.specs[i]!.address;
  }

  /** Whether backend i has reached its connection limit. */
  full(i: number): boolean {
    const m = this.specs[i]!.maxconn;
    return m > 0 && this.counts[i]! >= m;
  }

  /** Records a request (or connection) opened to backend i. */
  open(i: number): void {
    this.counts[i]!++;
    this.totalInflight++;
  }

  /** Records a request (or connection) to backend i ended. */
  close(i: number): void {
    this.counts[i]!--;
    this.totalInflight--;
  }
}
