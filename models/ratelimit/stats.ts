import { LatencyHistogram, type SimTime, toSeconds } from '../../engine/index.ts';
import type { ResponseHeaders } from '../http/messages.ts';
import type { LimiterKey } from './algorithm.ts';

interface KeyCount {
  offered: number;
  allowed: number;
}

interface WindowCount {
  window: number;
  admitted: number;
}

/** Jain's fairness index (Σx)² / (n·Σx²) over non-negative values; 1 for perfect equality. */
export function jainIndex(values: readonly number[]): number {
  let sum = 0;
  let sq = 0;
  for (const v of values) {
    sum += v;
    sq += v * v;
  }
  return values.length === 0 || sq === 0 ? 1 : (sum * sum) / (values.length * sq);
}

/**
 * Limiter-specific measurements shared by all replicas of one limiter component: per-key and
 * per-tier counts (at most `maxKeys` keys tracked, the rest pooled), the delay and store
 * round-trip distributions, and over-admission against a per-window bound (admissions beyond
 * `bound` in one aligned window of one key, counted across replicas).
 */
export class LimiterStats {
  readonly delay = new LatencyHistogram();
  readonly storeRoundTrip = new LatencyHistogram();
  private readonly keys = new Map<LimiterKey, KeyCount>();
  private readonly tiers = new Map<string, { offered: number; allowed: number }>();
  private readonly windows = new Map<LimiterKey, WindowCount>();
  private untracked = 0;
  private readonly bursts = new Map<LimiterKey, WindowCount>();
  overAdmitted = 0;
  admitted = 0;
  /** Headers sent with rejections: how many, summed and largest X-RateLimit-Remaining, Retry-After. */
  private readonly atReject = { count: 0, remainingSum: 0, remainingMax: 0, retryAfterSum: 0 };
  /** Most admissions of one key within one aligned `burstWindow` (the admitted burst). */
  maxBurst = 0;
  /** Window of the admitted-burst measurement (µs). */
  readonly burstWindow: SimTime;
  /** Called when a counter-like figure grows ('overAdmitted', 'admittedBurst'), for probes. */
  onGrow: ((name: string, now: SimTime, n: number) => void) | undefined = undefined;
  readonly maxKeys: number;
  readonly headerStyle: string;
  /** Per-window bound used for over-admission (undefined: not window-bounded). */
  readonly bound: { readonly limit: number; readonly window: SimTime } | undefined;

  constructor(
    headerStyle: string,
    bound?: { limit: number; window: SimTime },
    maxKeys = 1024,
    burstWindow: SimTime = 1_000_000,
  ) {
    this.headerStyle = headerStyle;
    this.bound = bound;
    this.maxKeys = maxKeys;
    this.burstWindow = burstWindow;
  }

  /** Records one decision for `key` in `tier` at `now`. */
  record(key: LimiterKey, tier: string, now: SimTime, allowed: boolean): void {
    let k = this.keys.get(key);
    if (k === undefined && this.keys.size < this.maxKeys) {
      k = { offered: 0, allowed: 0 };
      this.keys.set(key, k);
    }
    if (k === undefined) this.untracked++;
    else {
      k.offered++;
      if (allowed) k.allowed++;
    }
    let t = this.tiers.get(tier);
    if (t === undefined) {
      t = { offered: 0, allowed: 0 };
      this.tiers.set(tier, t);
    }
    t.offered++;
    if (!allowed) return;
    t.allowed++;
    this.admitted++;
    const b = this.countIn(this.bursts, key, Math.floor(now / this.burstWindow));
    if (b > this.maxBurst) {
      this.onGrow?.('admittedBurst', now, b - this.maxBurst);
      this.maxBurst = b;
    }
    if (this.bound === undefined) return;
    if (this.countIn(this.windows, key, Math.floor(now / this.bound.window)) > this.bound.limit) {
      this.overAdmitted++;
      this.onGrow?.('overAdmitted', now, 1);
    }
  }

  /** Records the headers of one rejection (X-RateLimit-Remaining, Retry-After). */
  rejectedWith(h: ResponseHeaders): void {
    const a = this.atReject;
    a.count++;
    const r = h.rateLimitRemaining ?? 0;
    a.remainingSum += r;
    if (r > a.remainingMax) a.remainingMax = r;
    a.retryAfterSum += h.retryAfter ?? 0;
  }

  /** Counts one admission of `key` in window `w` of `map` (a key's older window is dropped). */
  private countIn(map: Map<LimiterKey, WindowCount>, key: LimiterKey, w: number): number {
    let c = map.get(key);
    if (c === undefined || c.window !== w) {
      if (c !== undefined) map.delete(key);
      c = { window: w, admitted: 0 };
      map.set(key, c);
      if (map.size > 4 * this.maxKeys) map.delete(map.keys().next().value!);
    }
    return ++c.admitted;
  }

  /** Reports the counter-like figures at 0, so they exist even when they never grow. */
  announce(now: SimTime): void {
    this.onGrow?.('admittedBurst', now, 0);
    if (this.bound !== undefined) this.onGrow?.('overAdmitted', now, 0);
  }

  /** Forgets everything measured (end of warm-up). */
  reset(now: SimTime = 0): void {
    this.delay.reset();
    this.storeRoundTrip.reset();
    this.keys.clear();
    this.tiers.clear();
    this.untracked = 0;
    this.overAdmitted = 0;
    this.admitted = 0;
    this.bursts.clear();
    this.maxBurst = 0;
    Object.assign(this.atReject, { count: 0, remainingSum: 0, remainingMax: 0, retryAfterSum: 0 });
    this.announce(now);
  }

  /** The headers clients saw on rejections: X-RateLimit-Remaining mean and max, Retry-After mean (s). */
  private rejectionHeaders(): Record<string, number> {
    const a = this.atReject;
    if (a.count === 0) return { rejections: 0 };
    return {
      rejections: a.count,
      ...(this.headerStyle === 'none'
        ? {}
        : { remainingMean: a.remainingSum / a.count, remainingMax: a.remainingMax }),
      retryAfterMean: a.retryAfterSum / a.count,
    };
  }

  /** JSON-ready summary: fairness, top keys, tiers, delays and store round trips in seconds. */
  summary(topK = 10): Record<string, unknown> {
    const entries = [...this.keys.entries()];
    const fairness = jainIndex(entries.map(([, c]) => c.allowed));
    entries.sort((a, b) => b[1].offered - a[1].offered || (String(a[0]) < String(b[0]) ? -1 : 1));
    const tiers: Record<string, unknown> = {};
    const names = [...this.tiers.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const t = this.tiers.get(name)!;
      tiers[name] = {
        ...t,
        rejected: t.offered - t.allowed,
        rejectRatio: t.offered ? 1 - t.allowed / t.offered : 0,
      };
    }
    const hist = (h: LatencyHistogram) =>
      h.count === 0
        ? { count: 0 }
        : {
            count: h.count,
            mean: toSeconds(h.mean),
            p50: toSeconds(h.percentile(50)),
            p99: toSeconds(h.percentile(99)),
            max: toSeconds(h.max),
          };
    return {
      headerStyle: this.headerStyle,
      keysTracked: this.keys.size,
      untrackedDecisions: this.untracked,
      fairnessJain: fairness,
      topKeys: entries
        .slice(0, topK)
        .map(([key, c]) => ({ key, ...c, rejected: c.offered - c.allowed })),
      tiers,
      delay: hist(this.delay),
      storeRoundTrip: hist(this.storeRoundTrip),
      admittedBurst: { window: toSeconds(this.burstWindow), max: this.maxBurst },
      atRejection: this.rejectionHeaders(),
      ...(this.bound === undefined
        ? {}
        : {
            overAdmitted: this.overAdmitted,
            overAdmissionRatio: this.admitted === 0 ? 0 : this.overAdmitted / this.admitted,
          }),
    };
  }
}
