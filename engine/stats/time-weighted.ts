/**
 * A piecewise-constant gauge (queue length, busy workers) integrated over simulated time. Several
 * changes at the same instant add no area; each value set counts towards `min` and `max`.
 * Times must not decrease.
 */
export class TimeWeighted {
  #start: number;
  #last: number;
  #value: number;
  #area = 0;
  #max: number;
  #min: number;
  /** Time spent at each level 0 … cap (the last bucket: cap and above), when tracked. */
  #levels: Float64Array | undefined;

  /** Starts accounting at `start` with the gauge at `initial`. */
  constructor(start: number, initial = 0) {
    if (!Number.isFinite(start) || !Number.isFinite(initial)) {
      throw new RangeError(
        `TimeWeighted: start and initial must be finite, got ${start}, ${initial}`,
      );
    }
    this.#start = start;
    this.#last = start;
    this.#value = initial;
    this.#max = initial;
    this.#min = initial;
  }

  #advance(now: number): void {
    if (!(now >= this.#last)) {
      throw new RangeError(`TimeWeighted: time went backwards (${now} < ${this.#last})`);
    }
    const dt = now - this.#last;
    this.#area += this.#value * dt;
    const levels = this.#levels;
    if (levels !== undefined && dt > 0) levels[this.#level(this.#value)]! += dt;
    this.#last = now;
  }

  #level(value: number): number {
    const cap = this.#levels!.length - 1;
    return value <= 0 ? 0 : value >= cap ? cap : Math.floor(value);
  }

  /**
   * Also keeps how long the gauge spent at each whole level up to `cap` (0 … cap, cap meaning
   * cap or more), for atLeast(). Starts now; O(1) per change.
   */
  trackLevels(cap: number): void {
    if (!(Number.isInteger(cap) && cap >= 1)) {
      throw new RangeError(`TimeWeighted: level cap must be an integer >= 1, got ${cap}`);
    }
    this.#levels = new Float64Array(cap + 1);
  }

  /**
   * Share of the time since the start (or last reset) the gauge was at least k, for
   * k = 1 … cap (index k − 1); trailing zeros are left out. [] when levels are not tracked or
   * no time has passed.
   */
  atLeast(now: number): number[] {
    const levels = this.#levels;
    const span = now - this.#start;
    if (levels === undefined || !(span > 0)) return [];
    if (!(now >= this.#last)) {
      throw new RangeError(`TimeWeighted: time went backwards (${now} < ${this.#last})`);
    }
    const time = Float64Array.from(levels);
    time[this.#level(this.#value)]! += now - this.#last;
    const out: number[] = [];
    let above = 0;
    for (let k = time.length - 1; k >= 1; k--) {
      above += time[k]!;
      out[k - 1] = above / span;
    }
    while (out.length > 0 && out[out.length - 1] === 0) out.pop();
    return out;
  }

  /** Sets the gauge to `value` from time `now` on. */
  set(now: number, value: number): void {
    this.#advance(now);
    this.#value = value;
    if (value > this.#max) this.#max = value;
    if (value < this.#min) this.#min = value;
  }

  /** Changes the gauge by `delta` at time `now`. */
  add(now: number, delta: number): void {
    this.set(now, this.#value + delta);
  }

  /** The current value. */
  get current(): number {
    return this.#value;
  }

  /** The largest value held since the start (or the last reset). */
  get max(): number {
    return this.#max;
  }

  /** The smallest value held since the start (or the last reset). */
  get min(): number {
    return this.#min;
  }

  /** ∫ value dt from the start (or last reset) to `now` (now >= the last change). */
  area(now: number): number {
    if (!(now >= this.#last)) {
      throw new RangeError(`TimeWeighted: time went backwards (${now} < ${this.#last})`);
    }
    return this.#area + this.#value * (now - this.#last);
  }

  /** Time-weighted mean over [start, now]; the current value when no time has passed. */
  mean(now: number): number {
    const span = now - this.#start;
    return span > 0 ? this.area(now) / span : this.#value;
  }

  /** Restarts accounting at `now` (e.g. after warm-up), keeping the current value. */
  reset(now: number): void {
    this.#advance(now);
    this.#start = now;
    this.#area = 0;
    this.#levels?.fill(0);
    this.#max = this.#value;
    this.#min = this.#value;
  }
}
