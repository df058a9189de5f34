import { LatencyHistogram, type SimTime, TimeWeighted } from '../../engine/index.ts';

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

  /** Adds `n` to a named extra counter in the window holding `now`. */
  bump(name: string, now: SimTime, n = 1): void {
    const i = this.index(now);
    let arr = this.extra.get(name);
    if (arr === undefined) {
      arr = [];
      this.extra.set(name, arr);
    }
    while (arr.length <= i) arr.push(0);
    arr[i]! += n;
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
  /** Completions by HTTP status. */
  readonly statuses = new Map<number, number>();
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
  /** Named counters (hits, misses, allowed, rejected, retries, …). */
  readonly counters = new Map<string, number>();
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
    this.queue = new TimeWeighted(start, 0);
    this.busy = new TimeWeighted(start, 0);
    this.series = new WindowSeries(start, window);
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
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    this.latency.record(latency);
    this.inSystem.add(now, -1);
    const s = this.series;
    const i = s.index(now);
    s.completions[i]! += 1;
    if (status === 429) s.rejected429[i]! += 1;
    else if (status >= 500) s.errors5xx[i]! += 1;
    else if (status < 400) s.ok[i]! += 1;
    s.latencySum[i]! += latency;
    if (latency > s.latencyMax[i]!) s.latencyMax[i] = latency;
  }

  /** Adds `n` to a named counter (and its time series). */
  count(name: string, now: SimTime, n = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + n);
    this.series.bump(name, now, n);
  }

  /** Discards what was measured before `now` (end of warm-up); gauges keep their level. */
  reset(now: SimTime): void {
    this.since = now;
    this.arrivals = 0;
    this.completions = 0;
    this.statuses.clear();
    this.latency.reset();
    this.inSystem.reset(now);
    this.queue.reset(now);
    this.busy.reset(now);
    this.counters.clear();
    this.extras?.reset(now);
    if (this.phases !== undefined) for (const h of this.phases) h.reset();
  }
}
