// Log-linear (HDR-style) histogram: each power-of-two range [2^e, 2^(e+1)) is cut into 64 equal
// buckets, so a bucket's midpoint is within 1/128 (0.79%) of any value in it. Covers 1 µs to
// 2^32 µs (71.6 min) with 2 048 buckets, plus one bucket for [0, 1) and one overflow bucket.

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS;
const OCTAVES = 32;
const LOW = 0;
const OVERFLOW = 1 + OCTAVES * SUB;
const BUCKETS = OVERFLOW + 1;
const TOP = 2 ** OCTAVES;
const SCALE = Array.from({ length: OCTAVES }, (_, e) => 2 ** (SUB_BITS - e));

/** The serialized form of a {@link LatencyHistogram} (plain JSON, safe to post between threads). */
export interface LatencyHistogramJson {
  /** Format tag. */
  readonly kind: 'latency-histogram';
  /** Layout version. */
  readonly version: 1;
  /** Number of recorded values. */
  readonly count: number;
  /** Sum of recorded values. */
  readonly sum: number;
  /** Exact minimum (0 when empty). */
  readonly min: number;
  /** Exact maximum (0 when empty). */
  readonly max: number;
  /** Non-empty buckets as flattened [index, count] pairs, indexes increasing. */
  readonly buckets: readonly number[];
}

function bucketOf(v: number): number {
  if (v < 1) return LOW;
  if (v >= TOP) return OVERFLOW;
  const e = 31 - Math.clz32(v); // clz32 truncates v to an integer, so e = floor(log2 v) exactly
  return (e << SUB_BITS) + Math.floor(v * (SCALE[e] as number)) - (SUB - 1);
}

function midpointOf(index: number): number {
  const j = index - 1;
  const e = j >> SUB_BITS;
  return 2 ** e * ((SUB + (j & (SUB - 1)) + 0.5) / SUB);
}

/**
 * A streaming latency histogram of non-negative values (µs): O(1) record, fixed 16.4 kB of
 * counts, mergeable and deterministic. Percentiles are within 0.8% of the exact nearest-rank
 * value for values in [1 µs, 2^32 µs); min, max, count and mean are exact.
 */
export class LatencyHistogram {
  #counts = new Float64Array(BUCKETS);
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  /** Records one value (must be >= 0). */
  record(v: number): void {
    if (!(v >= 0) || v === Number.POSITIVE_INFINITY) {
      throw new RangeError(`LatencyHistogram: value must be a finite number >= 0, got ${v}`);
    }
    this.#counts[bucketOf(v)]! += 1;
    this.#count += 1;
    this.#sum += v;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
  }

  /** Records `n` copies of `v` (n a non-negative integer). */
  recordN(v: number, n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`LatencyHistogram: n must be a non-negative integer, got ${n}`);
    }
    if (!(v >= 0) || v === Number.POSITIVE_INFINITY) {
      throw new RangeError(`LatencyHistogram: value must be a finite number >= 0, got ${v}`);
    }
    if (n === 0) return;
    this.#counts[bucketOf(v)]! += n;
    this.#count += n;
    this.#sum += v * n;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
  }

  /** Number of recorded values. */
  get count(): number {
    return this.#count;
  }

  /** Exact mean of recorded values (0 when empty). */
  get mean(): number {
    return this.#count > 0 ? this.#sum / this.#count : 0;
  }

  /** Exact smallest recorded value (0 when empty). */
  get min(): number {
    return this.#count > 0 ? this.#min : 0;
  }

  /** Exact largest recorded value (0 when empty). */
  get max(): number {
    return this.#count > 0 ? this.#max : 0;
  }

  // The value reported for a bucket: its midpoint, clamped to [min, max]; min for [0, 1) and
  // max for the overflow bucket.
  #valueOf(index: number): number {
    if (index === LOW) return this.#min;
    if (index === OVERFLOW) return this.#max;
    return Math.min(this.#max, Math.max(this.#min, midpointOf(index)));
  }

  /**
   * The q-th percentile (q in [0, 100]) by nearest rank: the value of rank ceil(q/100 · count).
   * Ranks 1 and count (so p0 and p100) are the exact min and max; 0 when empty.
   */
  percentile(q: number): number {
    if (!(q >= 0 && q <= 100)) {
      throw new RangeError(`LatencyHistogram: percentile must be in [0, 100], got ${q}`);
    }
    if (this.#count === 0) return 0;
    const rank = nearestRank(q, this.#count);
    if (rank === 1) return this.#min;
    if (rank === this.#count) return this.#max;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return this.#valueOf(i);
    }
    return this.#max;
  }

  /**
   * CDF points [value, cumulative fraction] for plots: one per non-empty bucket, or, when
   * `points` is given, at the fractions 1/points, 2/points, ..., 1.
   */
  cdf(points?: number): [number, number][] {
    const out: [number, number][] = [];
    if (this.#count === 0) return out;
    if (points !== undefined && !(Number.isSafeInteger(points) && points >= 1)) {
      throw new RangeError(`LatencyHistogram: points must be a positive integer, got ${points}`);
    }
    let seen = 0;
    let next = 1;
    for (let i = 0; i < BUCKETS; i++) {
      const c = this.#counts[i]!;
      if (c === 0) continue;
      seen += c;
      if (points === undefined) {
        out.push([this.#valueOf(i), seen / this.#count]);
        continue;
      }
      while (next <= points && nearestRank((100 * next) / points, this.#count) <= seen) {
        out.push([next === points ? this.#max : this.#valueOf(i), next / points]);
        next += 1;
      }
    }
    return out;
  }

  /** Adds all of `other`'s values to this histogram (same result as recording them here). */
  merge(other: LatencyHistogram): void {
    if (other.#count === 0) return;
    for (let i = 0; i < BUCKETS; i++) this.#counts[i]! += other.#counts[i]!;
    this.#count += other.#count;
    this.#sum += other.#sum;
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
  }

  /** Forgets every recorded value. */
  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#min = Number.POSITIVE_INFINITY;
    this.#max = Number.NEGATIVE_INFINITY;
  }

  /** A plain-JSON snapshot (sparse buckets). */
  toJSON(): LatencyHistogramJson {
    const buckets: number[] = [];
    for (let i = 0; i < BUCKETS; i++) {
      const c = this.#counts[i]!;
      if (c > 0) buckets.push(i, c);
    }
    return {
      kind: 'latency-histogram',
      version: 1,
      count: this.#count,
      sum: this.#sum,
      min: this.min,
      max: this.max,
      buckets,
    };
  }

  /** Rebuilds a histogram from {@link LatencyHistogram.toJSON} output; throws on a bad shape. */
  static fromJSON(json: LatencyHistogramJson): LatencyHistogram {
    const bad = (why: string): never => {
      throw new RangeError(`LatencyHistogram.fromJSON: ${why}`);
    };
    if (json?.kind !== 'latency-histogram' || json.version !== 1) bad('not a version-1 histogram');
    const h = new LatencyHistogram();
    const { buckets } = json;
    if (!Array.isArray(buckets) || buckets.length % 2 !== 0)
      bad('buckets must be [index, count] pairs');
    let total = 0;
    for (let k = 0; k < buckets.length; k += 2) {
      const i = buckets[k]!;
      const c = buckets[k + 1]!;
      if (!Number.isInteger(i) || i < 0 || i >= BUCKETS) bad(`bucket index ${i} out of range`);
      if (!Number.isSafeInteger(c) || c < 0) bad(`bucket count ${c} is not a count`);
      h.#counts[i]! += c;
      total += c;
    }
    if (total !== json.count) bad(`bucket counts sum to ${total}, not count ${json.count}`);
    h.#count = json.count;
    h.#sum = json.sum;
    if (json.count > 0) {
      h.#min = json.min;
      h.#max = json.max;
    }
    return h;
  }
}

/**
 * Nearest-rank index (1-based) of the q-th percentile among n values: ceil(q/100 · n), at least
 * 1, with a tolerance so that e.g. q = 99.9, n = 1000 gives rank 999 despite rounding.
 */
export function nearestRank(q: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil((q * n) / 100 - 1e-9)));
}
