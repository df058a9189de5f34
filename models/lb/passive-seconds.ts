import type { SimTime } from '../../engine/index.ts';

/**
 * NGINX's passive-health bookkeeping per peer (ngx_http_upstream_round_robin.c), in whole
 * seconds of the clock like ngx_time(): a failure sets fails++, accessed = checked = now; a
 * peer with fails ≥ max_fails is skipped while now − checked ≤ fail_timeout; picking a peer with
 * now − checked > fail_timeout sets checked = now; a success resets fails only when
 * accessed < checked (the peer was re-checked after its last failure).
 */
export class SecondsPassive {
  private readonly fails: Int32Array;
  private readonly accessed: Float64Array;
  private readonly checked: Float64Array;
  private readonly maxFails: number;
  private readonly timeoutS: number;

  constructor(n: number, maxFails: number, failTimeout: SimTime) {
    this.fails = new Int32Array(n);
    this.accessed = new Float64Array(n);
    this.checked = new Float64Array(n);
    this.maxFails = maxFails;
    this.timeoutS = Math.floor(failTimeout / 1_000_000);
  }

  /**
   * A request to peer i ended at `now` µs (picked in the same second, as nginx's free_peer
   * follows get_peer). Returns the instant (µs) until which the peer is skipped when this
   * failure disables it, else undefined.
   */
  onEnd(i: number, now: SimTime, failure: boolean): SimTime | undefined {
    const s = Math.floor(now / 1_000_000);
    if (s - this.checked[i]! > this.timeoutS) this.checked[i] = s;
    if (!failure) {
      if (this.accessed[i]! < this.checked[i]!) this.fails[i] = 0;
      return undefined;
    }
    this.fails[i]!++;
    this.accessed[i] = s;
    this.checked[i] = s;
    if (this.fails[i]! < this.maxFails) return undefined;
    return (s + this.timeoutS + 1) * 1_000_000;
  }
}
