import type { SimTime } from '../../engine/index.ts';
import { LatencyHistogram, type TimeWeighted, toSeconds } from '../../engine/index.ts';
import { type Probe, windowPercentile } from '../core/probe.ts';
import { PHASES } from '../http/messages.ts';
import type { Recovery } from './recovery.ts';

/** Latency summary in seconds. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** One component's results, replicas merged (the results contract, see docs/results.md). */
export interface ComponentResult {
  readonly type: string;
  readonly replicas: number;
  readonly arrivals: number;
  readonly completions: number;
  /** Completions by HTTP status code, keys sorted numerically. */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly latency: LatencySummary;
  /** Completions per second over the measured period. */
  readonly throughput: number;
  /** Mean busy servers / capacity (0–1). */
  readonly utilisation: number;
  readonly queue: { readonly mean: number; readonly max: number };
  /**
   * Requests inside: time-weighted mean and max (summed over replicas), and `atLeast[k − 1]`,
   * the share of time a replica held at least k (k = 1 … 16, averaged over replicas: for a
   * balanced group, the fraction of replicas with at least k, s_k in the supermarket model).
   */
  readonly inSystem: {
    readonly mean: number;
    readonly max: number;
    readonly atLeast: readonly number[];
  };
  /** Named counters (hits, misses, allowed, rejected, retries, …), keys sorted. */
  readonly counters: Readonly<Record<string, number>>;
  /** Ratios derived from counters: hitRatio, rejectRatio429, errorRatio5xx, amplification, goodput (/s). */
  readonly ratios: Readonly<Record<string, number>>;
  /** Component-specific summaries from ProbeExtras (present only when a probe has extras). */
  readonly extras?: Readonly<Record<string, unknown>>;
  /** Clients: time to recover from each timeline fault (models/scenario/recovery.ts). */
  readonly recovery?: readonly Recovery[];
  /** Mean and p99 seconds per phase (PHASES order), for probes that record phases (clients). */
  readonly breakdown?: Readonly<Record<string, PhaseSummary>>;
}

/** One phase of a latency breakdown, in seconds over all finished requests. */
export interface PhaseSummary {
  readonly mean: number;
  readonly p99: number;
}

function breakdownOf(probes: readonly Probe[]): Record<string, PhaseSummary> | undefined {
  const merged: LatencyHistogram[] = [];
  for (const p of probes) {
    p.phases?.forEach((h, i) => {
      merged[i] ??= new LatencyHistogram();
      merged[i]!.merge(h);
    });
  }
  if (merged.length === 0) return undefined;
  const out: Record<string, PhaseSummary> = {};
  PHASES.forEach((phase, i) => {
    const h = merged[i];
    if (h === undefined || h.count === 0 || h.max <= 0) return;
    out[phase] = { mean: toSeconds(h.mean), p99: toSeconds(h.percentile(99)) };
  });
  return out;
}

/** Summarises a latency histogram (µs) in seconds. */
export function summarizeLatency(h: LatencyHistogram): LatencySummary {
  if (h.count === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    count: h.count,
    mean: toSeconds(h.mean),
    p50: toSeconds(h.percentile(50)),
    p90: toSeconds(h.percentile(90)),
    p99: toSeconds(h.percentile(99)),
    p999: toSeconds(h.percentile(99.9)),
    max: toSeconds(h.max),
  };
}

function sortedRecord<K extends string | number>(
  entries: Iterable<[K, number]>,
): Record<string, number> {
  const merged = new Map<K, number>();
  for (const [k, v] of entries) merged.set(k, (merged.get(k) ?? 0) + v);
  const keys = [...merged.keys()].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a) < String(b)
        ? -1
        : String(a) > String(b)
          ? 1
          : 0,
  );
  const out: Record<string, number> = {};
  for (const k of keys) out[String(k)] = merged.get(k)!;
  return out;
}

function gaugeOver(probes: readonly Probe[], pick: (p: Probe) => TimeWeighted, now: SimTime) {
  let mean = 0;
  let max = 0;
  for (const p of probes) {
    const g = pick(p);
    mean += g.mean(now);
    max = Math.max(max, g.max);
  }
  return { mean, max };
}

/** Per k, the share of time a replica held at least k requests, averaged over replicas. */
function atLeastOver(probes: readonly Probe[], now: SimTime): number[] {
  const sum: number[] = [];
  for (const p of probes) {
    for (const [i, share] of p.inSystem.atLeast(now).entries()) sum[i] = (sum[i] ?? 0) + share;
  }
  return sum.map((x) => x / probes.length);
}

/**
 * Per-layer hit ratios: for every counter pair `<layer>Hits` / `<layer>Misses` (an app's
 * localHits / localMisses, a database's bufferHits / bufferMisses, …) sets
 * `ratios.<layer>HitRatio` = hits ÷ (hits + misses); nothing when both are 0.
 */
export function layerHitRatios(
  counters: Readonly<Record<string, number>>,
  ratios: Record<string, number>,
): void {
  for (const [name, hits] of Object.entries(counters)) {
    if (!name.endsWith('Hits') || name.length === 4) continue;
    const layer = name.slice(0, -4);
    const misses = counters[`${layer}Misses`];
    if (misses === undefined || hits + misses === 0) continue;
    ratios[`${layer}HitRatio`] = hits / (hits + misses);
  }
}

/** Merges the probes of one component (its replicas) into its result at time `now`. */
export function componentResult(
  type: string,
  probes: readonly Probe[],
  now: SimTime,
): ComponentResult {
  const latency = new LatencyHistogram();
  let arrivals = 0;
  let completions = 0;
  let capacity = 0;
  let busy = 0;
  const statuses: [number, number][] = [];
  const counters: [string, number][] = [];
  for (const p of probes) {
    latency.merge(p.latency);
    arrivals += p.arrivals;
    completions += p.completions;
    capacity += p.capacity;
    busy += p.busy.mean(now);
    statuses.push(...p.statuses);
    counters.push(...p.counters);
  }
  const since = probes[0]?.since ?? 0;
  const seconds = toSeconds(now - since);
  const byStatus = sortedRecord(statuses);
  const counterRecord = sortedRecord(counters);
  let n429 = 0;
  let n5xx = 0;
  for (const [code, n] of Object.entries(byStatus)) {
    if (code === '429') n429 += n;
    else if (Number(code) >= 500) n5xx += n;
  }
  const ratios: Record<string, number> = {};
  if (completions > 0) {
    ratios.rejectRatio429 = n429 / completions;
    ratios.errorRatio5xx = n5xx / completions;
  }
  const hits = counterRecord.hits;
  const misses = counterRecord.misses;
  if (hits !== undefined || misses !== undefined) {
    const total = (hits ?? 0) + (misses ?? 0);
    ratios.hitRatio = total === 0 ? 0 : (hits ?? 0) / total;
  }
  layerHitRatios(counterRecord, ratios);
  const expiries = counterRecord.expiries;
  if (expiries !== undefined && expiries > 0)
    ratios.fetchesPerExpiry = (counterRecord.expiryFetches ?? 0) / expiries;
  let extras: Record<string, unknown> | undefined;
  let perReplica: Record<string, unknown> | undefined;
  for (const p of probes) {
    if (p.extras === undefined) continue;
    const { replica, ...rest } = p.extras.summary(now);
    extras = { ...extras, ...rest };
    if (replica === undefined) continue;
    perReplica ??= {};
    perReplica[p.actorId] = replica;
  }
  if (perReplica !== undefined) extras = { ...extras, perReplica };
  const offered = counterRecord.offered;
  if (offered !== undefined && offered > 0) {
    ratios.amplification = (counterRecord.attempts ?? 0) / offered;
    ratios.goodputShare = (counterRecord.goodput ?? 0) / offered;
    if (seconds > 0) ratios.goodput = (counterRecord.goodput ?? 0) / seconds;
  }
  const work = counterRecord.workSeconds;
  if (work !== undefined && work > 0)
    ratios.wastedShare = (counterRecord.wastedSeconds ?? 0) / work;
  const breakdown = breakdownOf(probes);
  return {
    ...(breakdown === undefined ? {} : { breakdown }),
    type,
    replicas: probes.length,
    arrivals,
    completions,
    byStatus,
    latency: summarizeLatency(latency),
    throughput: seconds > 0 ? completions / seconds : 0,
    utilisation: capacity > 0 ? busy / capacity : 0,
    queue: gaugeOver(probes, (p) => p.queue, now),
    inSystem: { ...gaugeOver(probes, (p) => p.inSystem, now), atLeast: atLeastOver(probes, now) },
    counters: counterRecord,
    ratios,
    ...(extras === undefined ? {} : { extras }),
  };
}

/** Per-window values of one component, replicas merged: metric name → one value per window. */
export interface ComponentSeries {
  readonly component: string;
  /** Simulated start of window 0 and window width, in seconds. */
  readonly start: number;
  readonly window: number;
  /** Counts per window; latencyMean and latencyMax in seconds (0 for windows without completions). */
  readonly metrics: Readonly<Record<string, readonly number[]>>;
}

/** Merges the window series of one component's probes (sums counts, max of maxima). */
export function componentSeries(component: string, probes: readonly Probe[]): ComponentSeries {
  const sums = new Map<string, number[]>();
  const add = (
    name: string,
    values: readonly number[],
    combine: (a: number, b: number) => number,
  ) => {
    const into = sums.get(name) ?? [];
    values.forEach((v, i) => {
      into[i] = i < into.length && into[i] !== undefined ? combine(into[i]!, v) : v;
    });
    sums.set(name, into);
  };
  const plus = (a: number, b: number) => a + b;
  for (const p of probes) {
    const s = p.series;
    add('arrivals', s.arrivals, plus);
    add('completions', s.completions, plus);
    add('ok', s.ok, plus);
    add('rejected429', s.rejected429, plus);
    add('errors5xx', s.errors5xx, plus);
    add('latencySum', s.latencySum, plus);
    add('latencyMax', s.latencyMax, Math.max);
    for (const [name, values] of [...s.extra].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      add(`counter.${name}`, values, plus);
    }
  }
  const hists: Uint32Array[] = [];
  for (const p of probes) {
    p.series.hist?.forEach((h, i) => {
      const into = hists[i] ?? new Uint32Array(h.length);
      for (let b = 0; b < h.length; b++) into[b]! += h[b]!;
      hists[i] = into;
    });
  }
  const length = Math.max(0, ...[...sums.values()].map((v) => v.length));
  const filled = (name: string) => Array.from({ length }, (_, i) => sums.get(name)?.[i] ?? 0);
  const completions = filled('completions');
  const latencySum = filled('latencySum');
  const metrics: Record<string, number[]> = {
    arrivals: filled('arrivals'),
    completions,
    ok: filled('ok'),
    rejected429: filled('rejected429'),
    errors5xx: filled('errors5xx'),
    latencyMean: latencySum.map((sum, i) =>
      completions[i]! > 0 ? toSeconds(sum / completions[i]!) : 0,
    ),
    latencyMax: filled('latencyMax').map(toSeconds),
  };
  if (probes.some((p) => p.series.hist !== undefined)) {
    const empty = new Uint32Array(0);
    for (const [name, q] of [
      ['latencyP50', 50],
      ['latencyP90', 90],
      ['latencyP99', 99],
    ] as const) {
      metrics[name] = Array.from({ length }, (_, i) =>
        toSeconds(windowPercentile(hists[i] ?? empty, q)),
      );
    }
  }
  const extras = [...sums.keys()].filter((k) => k.startsWith('counter.')).sort();
  for (const name of extras) metrics[name] = filled(name);
  const first = probes[0]?.series;
  return {
    component,
    start: toSeconds(first?.start ?? 0),
    window: toSeconds(first?.width ?? 1_000_000),
    metrics,
  };
}
