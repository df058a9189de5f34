import { LatencyHistogram, type SimTime, TimeWeighted } from '../../engine/index.ts';

/** Log buckets per power of two in per-window histograms: about 9% wide, so ≤ 4.5% error. */
export const WINDOW_BUCKETS_PER_OCTAVE = 8;
/** Buckets of a per-window histogram: 0 for < 1 µs, then 1 µs … 2^32 µs (about 71 min), capped. */
export const WINDOW_BUCKETS = 1 + 32 * WINDOW_BUCKETS_PER_OCTAVE;

/** The per-window histogram bucket of a latency in µs. */
export function windowBucket(latency: SimTime): number {
  if (latency < 1) return 0;
  const b = 1 + Math.floor(Math.log2(latency) * WINDOW_BUCKETS_PER_OCTAVE);
  return b >= WINDOW_BUCKETS ? WINDOW_BUCKETS - 1 : b;
}

/** The representative latency (µs) of a bucket: its geometric midpoint (0 for bucket 0). */
export function windowBucketValue(bucket: number): SimTime {
  if (bucket === 0) return 0;
  return 2 ** ((bucket - 0.5) / WINDOW_BUCKETS_PER_OCTAVE);
}

/** The q-th percentile (0–100) of a per-window histogram in µs; 0 when it is empty. */
export function windowPercentile(hist: Uint32Array, q: number): SimTime {
  let total = 0;
  for (let b = 0; b < hist.length; b++) total += hist[b]!;
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil((q / 100) * total));
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b]!;
    if (seen >= rank) return windowBucketValue(b);
  }
  return windowBucketValue(hist.length - 1);
}

/** Levels of requests inside a replica whose time shares are kept (results: inSystem.atLeast). */
export const IN_SYSTEM_LEVELS = 16;

/** Default width of a time-series window: one second of simulated time, in µs. */
export const DEFAULT_WINDOW = 1_000_000;

/**
 * Per-window counters for plots: how many requests arrived and completed, how many ended in
 * 429 and in 5xx, and their summed latency. Memory grows with simulated time / window width,
 * never with the number of requests.
 */
export class WindowSeries {
  readonly width: SimTime;
  readonly start: SimTime;
  readonly arrivals: number[] = [];
  readonly completions: number[] = [];
  readonly ok: number[] = [];
  readonly rejected429: number[] = [];
  readonly errors5xx: number[] = [];
  readonly latencySum: number[] = [];
  readonly latencyMax: number[] = [];
  /** Named extra counters per window (cache hits, retries, …). */
  readonly extra = new Map<string, number[]>();
  /**
   * Per-window latency histograms (coarse: WINDOW_BUCKETS_PER_OCTAVE log buckets per power of
   * two), only when enabled with trackPercentiles(); used for p50/p90/p99 over time.
   */
  hist: Uint32Array[] | undefined;

  constructor(start: SimTime, width: SimTime = DEFAULT_WINDOW) {
    this.start = start;
    this.width = width;
  }

  /** Index of the window holding `now`, growing every array to reach it. */
  index(now: SimTime): number {
    const i = Math.floor((now - this.start) / this.width);
    while (this.arrivals.length <= i) {
      this.arrivals.push(0);
      this.completions.push(0);
      this.ok.push(0);
      this.rejected429.push(0);
      this.errors5xx.push(0);
      this.latencySum.push(0);
      this.latencyMax.push(0);
    }
    return Math.max(i, 0);
  }

  /** Keeps a coarse latency histogram per window (about 1 KiB each) for percentiles over time. */
  trackPercentiles(): void {
    if (this.hist === undefined) this.hist = [];
  }

  /** Records one latency (µs) in window `i` (from index()), when percentiles are tracked. */
  recordLatency(i: number, latency: SimTime): void {
    const hist = this.hist;
    if (hist === undefined) return;
    while (hist.length <= i) hist.push(new Uint32Array(WINDOW_BUCKETS));
    hist[i]![windowBucket(latency)]! += 1;
  }

  /** Adds `n` to an extra counter's array (from extraSeries()) in the window holding `now`. */
  bumpInto(arr: number[], now: SimTime, n: number): void {
    const i = this.index(now);
    while (arr.length <= i) arr.push(0);
    arr[i]! += n;
  }

  /** The per-window array of extra counter `name` (created empty). */
  extraSeries(name: string): number[] {
    let arr = this.extra.get(name);
    if (arr === undefined) {
      arr = [];
      this.extra.set(name, arr);
    }
    return arr;
  }
}

/**
 * Component-specific results beyond the common counters (a limiter's per-key fairness, delay
 * distribution, …). Replicas that share one object attach it to a single probe.
 */
export interface ProbeExtras {
  /** Forgets what was measured (end of warm-up). */
  reset(now: SimTime): void;
  /** A JSON-ready summary, merged into ComponentResult.extras. */
  summary(now: SimTime): Record<string, unknown>;
}

/** One named counter of a probe. */
interface CounterCell {
  total: number;
  /** Counted since the last reset() (a counter reset to 0 is not reported). */
  counted: boolean;
  readonly series: number[];
}

/**
 * What one actor measures about the requests it handles. A component's results merge the
 * probes of its replicas. Little's law holds per probe: mean inSystem = throughput × mean latency.
 */
export class Probe {
  readonly componentId: string;
  readonly actorId: string;
  /** Start of the measured period (moved by reset() at the end of warm-up). */
  since: SimTime;
  arrivals = 0;
  completions = 0;
  /** Completions by status code 0–599; others go to `otherStatuses`. */
  private readonly statusCounts = new Float64Array(600);
  private readonly otherStatuses = new Map<number, number>();
  /** Time from arrival to completion at this component, in µs. */
  readonly latency = new LatencyHistogram();
  /** Requests inside this component (queued or in service). */
  readonly inSystem: TimeWeighted;
  /** Requests waiting for a worker or connection. */
  readonly queue: TimeWeighted;
  /** Busy servers (workers, connections, threads). */
  readonly busy: TimeWeighted;
  /** Number of servers, for utilisation = mean busy / capacity. */
  capacity = 1;
  /** Named counters, each with its total since reset() and its per-window series. */
  private readonly cells = new Map<string, CounterCell>();
  readonly series: WindowSeries;
  /** Optional component-specific results (see ProbeExtras). */
  extras: ProbeExtras | undefined = undefined;
  /** Optional per-phase latency histograms (indexed by PHASE_INDEX), for a latency breakdown. */
  phases: LatencyHistogram[] | undefined;

  constructor(
    componentId: string,
    actorId: string,
    start: SimTime,
    window: SimTime = DEFAULT_WINDOW,
  ) {
    this.componentId = componentId;
    this.actorId = actorId;
    this.since = start;
    this.inSystem = new TimeWeighted(start, 0);
    this.inSystem.trackLevels(IN_SYSTEM_LEVELS);
    this.queue = new TimeWeighted(start, 0);
    this.busy = new TimeWeighted(start, 0);
    this.series = new WindowSeries(start, window);
  }

  /** Completions by HTTP status, ascending (a snapshot). */
  get statuses(): Map<number, number> {
    const out = new Map<number, number>();
    for (let code = 0; code < 600; code++) {
      const n = this.statusCounts[code]!;
      if (n > 0) out.set(code, n);
    }
    for (const [code, n] of [...this.otherStatuses].sort((a, b) => a[0] - b[0])) out.set(code, n);
    return out;
  }

  /** Named counters (hits, misses, allowed, rejected, retries, …) since reset() (a snapshot). */
  get counters(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, cell] of this.cells) if (cell.counted) out.set(name, cell.total);
    return out;
  }

  /** A request entered this component. */
  arrive(now: SimTime): void {
    this.arrivals++;
    this.inSystem.add(now, 1);
    this.series.arrivals[this.series.index(now)]! += 1;
  }

  /** A request left this component with `status` after `latency` µs inside it. */
  complete(now: SimTime, status: number, latency: SimTime): void {
    this.completions++;
    if (status >= 0 && status < 600 && status === (status | 0)) this.statusCounts[status]! += 1;
    else this.otherStatuses.set(status, (this.otherStatuses.get(status) ?? 0) + 1);
    this.latency.record(latency);
    this.inSystem.add(now, -1);
    const s = this.series;
    const i = s.index(now);
    s.completions[i]! += 1;
    if (status === 429) s.rejected429[i]! += 1;
    else if (status >= 500) s.errors5xx[i]! += 1;
    else if (status < 400) s.ok[i]! += 1;
    s.latencySum[i]! += latency;
    if (s.hist !== undefined) s.recordLatency(i, latency);
    if (latency > s.latencyMax[i]!) s.latencyMax[i] = latency;
  }

  /** Adds `n` to a named counter (and its time series). */
  count(name: string, now: SimTime, n = 1): void {
    let cell = this.cells.get(name);
    if (cell === undefined) {
      cell = { total: 0, counted: false, series: this.series.extraSeries(name) };
      this.cells.set(name, cell);
    }
    cell.total += n;
    cell.counted = true;
    this.series.bumpInto(cell.series, now, n);
  }

  /** Discards what was measured before `now` (end of warm-up); gauges keep their level. */
  reset(now: SimTime): void {
    this.since = now;
    this.arrivals = 0;
    this.completions = 0;
    this.statusCounts.fill(0);
    this.otherStatuses.clear();
    this.latency.reset();
    this.inSystem.reset(now);
    this.queue.reset(now);
    this.busy.reset(now);
    for (const cell of this.cells.values()) {
      cell.total = 0;
      cell.counted = false;
    }
    this.extras?.reset(now);
    if (this.phases !== undefined) for (const h of this.phases) h.reset();
  }
}
