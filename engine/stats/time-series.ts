import { LatencyHistogram } from './latency-histogram.ts';

/** Options of {@link TimeSeries}. */
export interface TimeSeriesOptions {
  /** Initial window width (µs, > 0). */
  readonly width: number;
  /** Time of the first window's start (default 0). */
  readonly start?: number;
  /** Most windows kept (even, >= 2; default 4096). Beyond it, adjacent pairs are merged. */
  readonly maxWindows?: number;
  /** Keep a LatencyHistogram per window (16 kB each; default false). */
  readonly histograms?: boolean;
}

/** One window of a {@link TimeSeries}; min, max and mean are 0 in an empty window. */
export interface TimeSeriesWindow {
  /** Window start (inclusive). */
  readonly start: number;
  /** Window end (exclusive). */
  readonly end: number;
  /** Number of values recorded in the window. */
  readonly count: number;
  /** Sum of those values. */
  readonly sum: number;
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
  /** Mean value. */
  readonly mean: number;
  /** The window's histogram, when enabled. */
  readonly histogram?: LatencyHistogram;
}

/**
 * Per-window aggregates of a stream of (time, value) observations, for plots. Memory is bounded:
 * when a time falls beyond `maxWindows` windows, adjacent windows are merged in pairs and the
 * width doubles (repeatedly if needed), so resolution halves instead of memory growing.
 */
export class TimeSeries {
  #start: number;
  #width: number;
  readonly #maxWindows: number;
  readonly #withHistograms: boolean;
  #count: number[] = [];
  #sum: number[] = [];
  #min: number[] = [];
  #max: number[] = [];
  #hist: (LatencyHistogram | undefined)[] = [];

  /** Creates an empty series; see {@link TimeSeriesOptions}. */
  constructor(options: TimeSeriesOptions) {
    const { width, start = 0, maxWindows = 4096, histograms = false } = options;
    if (!(Number.isFinite(width) && width > 0)) {
      throw new RangeError(`TimeSeries: width must be a positive finite number, got ${width}`);
    }
    if (!Number.isFinite(start))
      throw new RangeError(`TimeSeries: start must be finite, got ${start}`);
    if (!(Number.isSafeInteger(maxWindows) && maxWindows >= 2 && maxWindows % 2 === 0)) {
      throw new RangeError(
        `TimeSeries: maxWindows must be an even integer >= 2, got ${maxWindows}`,
      );
    }
    this.#start = start;
    this.#width = width;
    this.#maxWindows = maxWindows;
    this.#withHistograms = histograms;
  }

  /** The current window width (the initial width times a power of two). */
  get width(): number {
    return this.#width;
  }

  /** Number of windows from the start to the latest one that received a value. */
  get length(): number {
    return this.#count.length;
  }

  /** Records `value` observed at `time` (>= start; any order). */
  record(time: number, value: number): void {
    if (!(time >= this.#start) || !Number.isFinite(time)) {
      throw new RangeError(
        `TimeSeries: time must be finite and >= start ${this.#start}, got ${time}`,
      );
    }
    let index = Math.floor((time - this.#start) / this.#width);
    while (index >= this.#maxWindows) {
      this.#halve();
      index = Math.floor((time - this.#start) / this.#width);
    }
    while (this.#count.length <= index) {
      this.#count.push(0);
      this.#sum.push(0);
      this.#min.push(Number.POSITIVE_INFINITY);
      this.#max.push(Number.NEGATIVE_INFINITY);
      this.#hist.push(this.#withHistograms ? new LatencyHistogram() : undefined);
    }
    this.#count[index]! += 1;
    this.#sum[index]! += value;
    if (value < this.#min[index]!) this.#min[index] = value;
    if (value > this.#max[index]!) this.#max[index] = value;
    this.#hist[index]?.record(value);
  }

  // Merges windows (2j, 2j+1) into j and doubles the width.
  #halve(): void {
    const n = this.#count.length;
    const half = Math.ceil(n / 2);
    for (let j = 0; j < half; j++) {
      const a = 2 * j;
      const b = a + 1;
      this.#count[j] = this.#count[a]!;
      this.#sum[j] = this.#sum[a]!;
      this.#min[j] = this.#min[a]!;
      this.#max[j] = this.#max[a]!;
      this.#hist[j] = this.#hist[a];
      if (b < n) {
        this.#count[j]! += this.#count[b]!;
        this.#sum[j]! += this.#sum[b]!;
        this.#min[j] = Math.min(this.#min[j]!, this.#min[b]!);
        this.#max[j] = Math.max(this.#max[j]!, this.#max[b]!);
        const hb = this.#hist[b];
        if (hb !== undefined) this.#hist[j]?.merge(hb);
      }
    }
    for (const arr of [this.#count, this.#sum, this.#min, this.#max, this.#hist]) arr.length = half;
    this.#width *= 2;
  }

  /** All windows from the start to the latest non-empty one, in time order. */
  windows(): TimeSeriesWindow[] {
    return this.#count.map((count, i) => {
      const start = this.#start + i * this.#width;
      const hist = this.#hist[i];
      const base = {
        start,
        end: start + this.#width,
        count,
        sum: this.#sum[i]!,
        min: count > 0 ? this.#min[i]! : 0,
        max: count > 0 ? this.#max[i]! : 0,
        mean: count > 0 ? this.#sum[i]! / count : 0,
      };
      return hist === undefined ? base : { ...base, histogram: hist };
    });
  }
}
