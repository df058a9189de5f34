/**
 * Streaming mean and variance (Welford's update, Chan et al.'s merge): O(1) memory, numerically
 * stable. The variance is the sample variance (n - 1 denominator), 0 with fewer than 2 values.
 */
export class Welford {
  #count = 0;
  #mean = 0;
  #m2 = 0;

  /** Adds one observation. */
  add(x: number): void {
    this.#count += 1;
    const delta = x - this.#mean;
    this.#mean += delta / this.#count;
    this.#m2 += delta * (x - this.#mean);
  }

  /** Number of observations added. */
  get count(): number {
    return this.#count;
  }

  /** Mean of the observations (0 when empty). */
  get mean(): number {
    return this.#mean;
  }

  /** Sample variance (n - 1 denominator); 0 with fewer than two observations. */
  get variance(): number {
    return this.#count > 1 ? this.#m2 / (this.#count - 1) : 0;
  }

  /** Sample standard deviation. */
  get stddev(): number {
    return Math.sqrt(this.variance);
  }

  /** Folds another accumulator's observations into this one (as if added here). */
  merge(other: Welford): void {
    const n = this.#count + other.#count;
    if (other.#count === 0) return;
    const delta = other.#mean - this.#mean;
    this.#mean += (delta * other.#count) / n;
    this.#m2 += other.#m2 + (delta * delta * this.#count * other.#count) / n;
    this.#count = n;
  }
}
