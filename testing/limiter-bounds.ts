// "Limiters never exceed their bound": a test-only watch that wraps the algorithm of every
// local limiter of a built scenario (rate-limiter components and app-server rateLimit gates),
// records each admission's time per (instance, key) and, after the run, checks the bound each
// algorithm promises for ANY interval [s, t] of one key on one instance (local state).
import type { ScenarioRun } from '../models/scenario/build.ts';
import { memberIds } from '../models/scenario/build.ts';
import type { Scenario } from '../models/scenario/format.ts';

/** A decision as the algorithms return it (only `allowed` matters here). */
interface Decided {
  readonly allowed: boolean;
}

/** The slice of a limiter algorithm the watch wraps. */
interface AlgorithmLike {
  decide(key: unknown, now: number, cost?: number): Decided;
  readonly inFlight?: number;
}

/** The slice of models/ratelimit/limiter.ts Limiter the watch reads. */
interface LimiterLike {
  readonly config: { readonly algorithm?: Record<string, unknown> | undefined };
  algorithmFor(tier: string): AlgorithmLike | undefined;
}

/** Admissions of one algorithm instance, by key; and the worst in-flight count seen. */
interface Watched {
  readonly where: string;
  readonly spec: Record<string, unknown>;
  readonly times: Map<unknown, number[]>;
  maxInFlight: number;
}

/**
 * Largest (admissions in [t_i, t_j]) − burst − rate·(x_j − x_i) over i ≤ j, where x = `at(t)`
 * is the "refill clock" of the algorithm (µs for continuous refill, whole ms for NGINX's
 * meter, tick index for per-tick refill). One pass over running minima of i − rate·x_i.
 */
export function intervalExcess(
  times: readonly number[],
  burst: number,
  rate: number,
  at: (t: number) => number = (t) => t,
): number {
  let best = Number.NEGATIVE_INFINITY;
  let minF = Number.POSITIVE_INFINITY;
  for (let j = 0; j < times.length; j++) {
    const f = j - rate * at(times[j]!);
    if (f < minF) minF = f;
    best = Math.max(best, f - minF + 1 - burst);
  }
  return best;
}

/** Most admissions in one aligned window [kW, (k+1)W) minus the limit. */
function alignedExcess(times: readonly number[], limit: number, window: number): number {
  let best = Number.NEGATIVE_INFINITY;
  let current = Number.NaN;
  let count = 0;
  for (const t of times) {
    const w = Math.floor(t / window);
    if (w !== current) [current, count] = [w, 0];
    best = Math.max(best, ++count - limit);
  }
  return best;
}

/** Admissions in a half-open window (t − W, t] beyond the limit (sliding log: exact). */
function slidingExcess(times: readonly number[], limit: number, window: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let j = limit; j < times.length; j++)
    if (times[j]! - times[j - limit]! < window) best = Math.max(best, 1);
  return best === Number.NEGATIVE_INFINITY ? 0 : best;
}

const FLOAT = 1e-6;

/** Excess over the algorithm's bound for one key's admission times (≤ 0 when it held). */
export function boundExcess(spec: Record<string, unknown>, times: readonly number[]): number {
  const n = (k: string) => Number(spec[k]);
  switch (spec.algorithm) {
    case 'fixed-window':
    case 'sliding-counter': // prev·weight ≥ 0, so the current window alone stays ≤ L
      return alignedExcess(times, n('limit'), n('window'));
    case 'sliding-log':
      return slidingExcess(times, n('limit'), n('window'));
    case 'token-bucket':
      return intervalExcess(times, n('burst'), n('rate') / 1e6) - FLOAT;
    case 'gcra': // limit maxBurst + 1, one token per 1/rate
      return intervalExcess(times, n('maxBurst') + 1, n('rate') / 1e6) - FLOAT;
    case 'token-bucket-tick':
      return intervalExcess(times, n('burst'), n('tokensPerFill'), (t) =>
        Math.floor(t / n('interval')),
      );
    case 'leaky-meter': {
      // Excess stays in [0, burst] after every admission and drains ≤ R·Δms: burst + 1 + r·Δms.
      const perMs = Math.max(1, Math.round(n('rate') * 1000)) / 1e6;
      return intervalExcess(times, n('burst') + 1, perMs, (t) => Math.floor(t / 1000)) - FLOAT;
    }
    case 'leaky-queue': // departures ≥ 1/rate apart, < capacity waiting: capacity + 1 + r·Δt
      return intervalExcess(times, n('capacity') + 1, n('rate') / 1e6) - FLOAT;
    default:
      return Number.NEGATIVE_INFINITY;
  }
}

/** Wraps every local limiter of a built run; `violations()` after the run lists broken bounds. */
export class LimiterWatch {
  private readonly watched: Watched[] = [];

  /** Wraps the limiters of `run` (call after construction, before it runs). */
  attach(run: ScenarioRun, scenario: Scenario): void {
    const sim = run.built.sim;
    for (const [id, raw] of Object.entries(scenario.components)) {
      const c = raw as { type: string; replicas?: number };
      if (c.type !== 'rate-limiter' && c.type !== 'app-server') continue;
      for (const actor of memberIds(id, c.replicas)) {
        const ref = sim.find(actor);
        if (ref === undefined) continue;
        const s = sim.stateOf<{ limiter?: LimiterLike; gates?: Map<unknown, unknown> }>(ref);
        if (s.limiter !== undefined) this.wrap(actor, s.limiter);
        for (const g of s.gates?.values() ?? []) {
          const limiter = (g as { limiter?: LimiterLike }).limiter;
          if (limiter !== undefined) this.wrap(`${actor} gate`, limiter);
        }
      }
    }
  }

  private wrap(where: string, limiter: LimiterLike): void {
    const spec = limiter.config.algorithm;
    const algo = limiter.algorithmFor('\u0000no-tier');
    if (spec === undefined || algo === undefined) return;
    const w: Watched = { where, spec, times: new Map(), maxInFlight: 0 };
    this.watched.push(w);
    const decide = algo.decide.bind(algo);
    (algo as { decide: AlgorithmLike['decide'] }).decide = (key, now, cost) => {
      const d = decide(key, now, cost);
      if (d.allowed) {
        const list = w.times.get(key);
        if (list === undefined) w.times.set(key, [now]);
        else list.push(now);
        w.maxInFlight = Math.max(w.maxInFlight, algo.inFlight ?? 0);
      }
      return d;
    };
  }

  /** Limiters wrapped and admissions seen (to show the watch saw something). */
  counts(): { limiters: number; admissions: number } {
    let admissions = 0;
    for (const w of this.watched) for (const t of w.times.values()) admissions += t.length;
    return { limiters: this.watched.length, admissions };
  }

  /** One line per limiter instance whose bound was exceeded for some key. */
  violations(): string[] {
    const out: string[] = [];
    for (const w of this.watched) {
      if (w.spec.algorithm === 'adaptive-concurrency') {
        const max = Math.max(Number(w.spec.max ?? 1000), Number(w.spec.initial ?? 20));
        if (w.maxInFlight > max) out.push(`${w.where}: ${w.maxInFlight} in flight > max ${max}`);
        continue;
      }
      for (const [key, times] of w.times) {
        const excess = boundExcess(w.spec, times);
        if (excess > 0)
          out.push(
            `${w.where} ${String(w.spec.algorithm)} key ${String(key)}: ${excess} over its bound`,
          );
      }
    }
    return out;
  }
}
