// Rate-limiter cases of reference.json through the real scenario path: a Poisson `client.open`
// into a `rate-limiter` (one global key) in front of an app-server sink. reject_fraction is the
// limiter's rejected / (allowed + rejected) counters; the bound invariants are computed from
// the admitted timestamps, observed as the sink's 'http.request' events (no links: the sink
// sees an admitted request at the instant the limiter decided).
import type { Scenario } from '../../models/scenario/format.ts';
import { validateScenario } from '../../models/scenario/load.ts';
import { observeRun } from '../../testing/invariants.ts';
import type { ReferenceCase } from '../helpers/reference.ts';
import type { TheorySystem } from './theory-systems.ts';

const BIG = '100000000s';

/** A limiter algorithm as written in a scenario file. */
export type LimiterAlgorithmSpec = Record<string, unknown>;

/** Poisson(lam) → rate-limiter(algorithm, key global) → app-server sink; `n` arrivals measured. */
export function limiterSystem(
  algorithm: LimiterAlgorithmSpec,
  lam: number,
  n: number,
  seed: number,
  warmupSeconds = 5,
): TheorySystem {
  const key = `limiter ${JSON.stringify(algorithm)} lam=${lam}`;
  const seconds = n / lam;
  const components = {
    src: {
      type: 'client.open',
      target: 'limiter',
      arrival: { process: 'poisson', rate: `${lam}/s` },
      timeout: BIG,
      connection: { tls: 'none', poolSize: 100_000 },
    },
    limiter: { type: 'rate-limiter', upstream: 'app', key: 'global', algorithm },
    app: {
      type: 'app-server',
      workers: 1000,
      workerTimeout: BIG,
      routes: [{ method: 'GET', route: '/', steps: [] }],
    },
  };
  const scenario = {
    version: 1,
    name: key,
    seed,
    run: {
      duration: `${seconds}s`,
      warmup: `${warmupSeconds}s`,
      window: `${Math.max(1, Math.ceil(seconds / 2000))}s`,
      maxEvents: 2_000_000_000,
    },
    components,
  };
  return { key, scenario, n, at: 'limiter' };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The scenario algorithm for a limiter case, or undefined when the model is not a limiter. */
export function limiterAlgorithmOf(c: ReferenceCase): LimiterAlgorithmSpec | undefined {
  const p = c.params as Record<string, unknown>;
  if (c.model.startsWith('token bucket, continuous'))
    return { algorithm: 'token-bucket', rate: `${num(p.r)}/s`, burst: num(p.b) };
  if (c.model.startsWith('fixed-window'))
    return { algorithm: 'fixed-window', limit: num(p.L), window: `${num(p.W_s)}s` };
  return undefined;
}

/** The reference run length of a limiter case in arrivals (mc_requests, or windows × λW). */
export function limiterReferenceLength(c: ReferenceCase): number | undefined {
  const p = c.params as Record<string, unknown>;
  const windows = num(p.mc_windows);
  if (windows !== undefined) return windows * num(p.lam)! * (num(p.W_s) ?? 1);
  return num(p.mc_requests);
}

/**
 * Most admissions in any closed interval [s, t] minus `bound(s, t)` where the bound is
 * b + r·(t − s): for sorted times t_i, max over i ≤ j of (j − i + 1) − b − r(t_j − t_i), in one
 * pass (running minimum of i − r·t_i). `ratePerMicro` = r / 1e6.
 */
export function bucketExcess(times: readonly number[], burst: number, ratePerMicro: number) {
  let best = Number.NEGATIVE_INFINITY;
  let minF = Number.POSITIVE_INFINITY;
  for (let j = 0; j < times.length; j++) {
    const f = j - ratePerMicro * times[j]!;
    if (f < minF) minF = f;
    best = Math.max(best, f - minF + 1 - burst);
  }
  return best;
}

/** Most admissions in one aligned window [kW, (k+1)W) minus the limit. */
export function windowExcess(times: readonly number[], limit: number, windowMicros: number) {
  let best = Number.NEGATIVE_INFINITY;
  let current = -1;
  let count = 0;
  for (const t of times) {
    const w = Math.floor(t / windowMicros);
    if (w !== current) {
      current = w;
      count = 0;
    }
    count++;
    best = Math.max(best, count - limit);
  }
  return best;
}

/** Admission times at the limiter of a limiter system (sink arrivals), and the run's result. */
export function admittedTimes(scenario: Scenario) {
  const times: number[] = [];
  const observed = observeRun(scenario, {
    trace: (time, actorId, type) => {
      if (actorId === 'app' && type === 'http.request') times.push(time);
    },
  });
  return { times, result: observed.result };
}

/** What the bound invariants need of theory-cases' plan type. */
interface BoundPlan {
  readonly kind: 'invariant';
  readonly run: () => { simulated: number; tolerance: number; note: string };
}

/**
 * inv-tb-bound / inv-fw-bound: an overloaded limiter (λ = 2× its rate) run without warm-up;
 * the largest excess over the bound, from admitted timestamps, reported as max(0, excess)
 * (the identity says "≤ 0 in every window"). The count of observed admissions must equal the
 * limiter's `allowed` counter, and for the fixed window `extras.overAdmitted` must be 0: any
 * difference is added to the simulated value, so a broken observation fails the case too.
 */
export function limiterBoundPlan(id: 'inv-tb-bound' | 'inv-fw-bound', n: number): BoundPlan {
  const tb = id === 'inv-tb-bound';
  const algorithm = tb
    ? { algorithm: 'token-bucket', rate: '100/s', burst: 10 }
    : { algorithm: 'fixed-window', limit: 100, window: '1s' };
  return {
    kind: 'invariant',
    run: () => {
      const sys = limiterSystem(algorithm, 200, n, tb ? 13 : 14, 0);
      const v = validateScenario(sys.scenario);
      if (!v.ok) throw new Error(`${sys.key}: ${JSON.stringify(v.issues)}`);
      const { times, result } = admittedTimes(v.scenario);
      const c = result.components.limiter!;
      const raw = tb ? bucketExcess(times, 10, 100 / 1e6) : windowExcess(times, 100, 1e6);
      const allowed = c.counters.allowed ?? 0;
      const over = tb ? 0 : Number((c.extras as { overAdmitted?: number }).overAdmitted ?? 0);
      const mismatch = Math.abs(allowed - times.length) + over;
      const what = tb
        ? 'admitted in [s,t] − (b + r(t−s)), b=10 r=100/s'
        : 'admitted in a window − L, L=100 W=1s';
      return {
        simulated: Math.max(0, raw) + mismatch,
        tolerance: 1e-9,
        note: `max ${what} = ${raw.toPrecision(4)} over ${times.length} admissions of ${c.arrivals} (λ=200/s); reported max(0, ·); sink arrivals = allowed counter${tb ? '' : ', extras.overAdmitted = 0'}`,
      };
    },
  };
}
