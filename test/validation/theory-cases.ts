// Maps every case of reference.json to a simulated system (scenario files through the real
// scenario path), an invariant computed on runs, or a stated reason it cannot be expressed.
import { type Job, type JobOutput, runJob } from '../../experiments/job.ts';
import { validateScenario } from '../../models/scenario/load.ts';
import { observeRun } from '../../testing/invariants.ts';
import type { ReferenceCase } from '../helpers/reference.ts';
import {
  limiterAlgorithmOf,
  limiterBoundPlan,
  limiterReferenceLength,
  limiterSystem,
} from './theory-limiter.ts';
import {
  balancedSystem,
  cacheSystem,
  queueSystem,
  readMetric,
  type TheorySystem,
} from './theory-systems.ts';

/** ci: the vitest quick set; quick: every case, shorter runs; full: runs as long as mc_samples. */
export type TheoryMode = 'ci' | 'quick' | 'full';

/** The cases `npm test` runs (one or more per family), ids of reference.json. */
export const CI_CASES: readonly string[] = [
  'mm1-rho0.5-W',
  'mm1-rho0.5-T_p95',
  'mmc-c2-rho0.9-Wq',
  'mmc-c2-rho0.9-P_wait',
  'loss-c4-K8-a3.6',
  'loss-c4-K4-a2',
  'mg1-det-rho0.5-Wq',
  'lb-random-lam0.9-W',
  'lb-pod-d2-lam0.5-W-ninf',
  'lb-pod-d1-lam0.9-s3',
  'cache-lru-a1.0-C100',
  'cache-ttl-a0.8-T10',
  'tb-fluid-b10-lam150',
  'fw-L100-W1-lam100',
  'inv-little-L',
  'inv-little-Lq',
  'inv-util',
  'inv-flow',
  'inv-lb-sum',
  'inv-resp',
  'inv-cache-cap',
  'inv-scale',
  'inv-tb-bound',
  'inv-fw-bound',
];

/** How one case is checked. */
export type CasePlan =
  | { readonly kind: 'system'; readonly system: TheorySystem; readonly metric: string }
  | { readonly kind: 'invariant'; readonly run: () => InvariantValue }
  | { readonly kind: 'unsupported'; readonly reason: string };

/** An invariant's simulated value, the tolerance used and why. */
export interface InvariantValue {
  readonly simulated: number;
  readonly tolerance: number;
  readonly note: string;
}

/** One row of the validation table. */
export interface CaseOutcome {
  readonly id: string;
  readonly expected: number;
  readonly simulated: number | undefined;
  readonly tolerance: number | undefined;
  readonly n: number | undefined;
  /** undefined: not expressible (see note). */
  readonly pass: boolean | undefined;
  readonly note: string;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function hashSeed(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % 1_000_000_000;
}

/** Measured arrivals for a case with `mc` reference samples in a mode. */
function samples(mode: TheoryMode, mc: number, heavy: boolean): number {
  if (mode === 'full') return Math.max(mc, heavy ? 2_000_000 : 1_000_000);
  const cap = mode === 'ci' ? (heavy ? 250_000 : 100_000) : heavy ? 500_000 : 200_000;
  return Math.min(mc, cap);
}

/**
 * Full runs of a limiter case: its reference length, at most this many arrivals (fixed-window
 * references are 40M–80M requests; the tolerance is scaled by √(reference/n) beyond this).
 */
const LIMITER_FULL_CAP = 3_000_000;

function systemFor(c: ReferenceCase, mode: TheoryMode): CasePlan {
  const p = c.params as Record<string, unknown>;
  const mc = num(p.mc_samples) ?? num(p.mc_requests) ?? 1_000_000;
  const lam = num(p.lam);
  const mu = num(p.mu) ?? 1;
  const m = c.model;
  if (m.startsWith('M/M/') || m === 'M/D/1') {
    const cs = num(p.c) ?? 1;
    const det = m === 'M/D/1';
    const rate = det ? 1 / (num(p.ES) ?? 1) : mu;
    const heavy = lam! / (cs * rate) >= 0.85 && p.K === undefined;
    const n = samples(mode, mc, heavy);
    const q = { lam: lam!, mu: rate, c: cs, det, ...(p.K === undefined ? {} : { K: num(p.K)! }) };
    const key = `queue ${JSON.stringify(q)} ${n}`;
    return { kind: 'system', system: queueSystem(q, n, hashSeed(key)), metric: c.metric };
  }
  const perServer = num(p.lam_per_server);
  if (perServer !== undefined) {
    const d = num(p.d) ?? 1;
    // n → ∞ cases need many servers; random assignment is exact for any n. The supermarket
    // fractions s_k of d ≥ 2 are the most sensitive to n: the far tail is heavier at finite n
    // (s_5 at λ = 0.9, 8M arrivals: +5% at 1 000 servers, +3–4% at 4 000, +1% at 10 000), so
    // they use 10 000 servers and 10× the arrivals, which keeps the simulated time, and so the
    // warm-up from empty queues, as long as at 1 000.
    const tail = d >= 2 && c.metric.startsWith('fraction_of_servers_');
    const servers = m.startsWith('random') ? 4 : d === 1 ? 100 : tail ? 10_000 : 1000;
    const n = samples(mode, mc, perServer >= 0.85) * (tail ? 10 : 1);
    const alg = d === 1 ? 'random' : { name: 'power-of-d-choices', choices: d };
    const key = `lb ${JSON.stringify(alg)} ${servers} ${perServer} ${n}`;
    const system = balancedSystem(alg, servers, perServer, n, hashSeed(key));
    return { kind: 'system', system, metric: c.metric };
  }
  if (m.includes('cache')) {
    const N = num(p.N)!;
    const alpha = num(p.zipf_alpha)!;
    const n = samples(mode, mc, false);
    if (m.startsWith('TTL')) {
      const rate = num(p.total_rate_per_s)!;
      const sys = cacheSystem({ N, alpha, ttl: num(p.ttl_s)!, rate }, n, 30 * rate, hashSeed(c.id));
      return { kind: 'system', system: sys, metric: c.metric };
    }
    const policy = m.startsWith('LRU') ? 'lru' : 'lfu';
    const warm = policy === 'lru' ? 20_000 : 500_000;
    const sys = cacheSystem(
      { N, alpha, policy, C: num(p.C)!, rate: 1000 },
      n,
      warm,
      hashSeed(c.id),
    );
    return { kind: 'system', system: sys, metric: c.metric };
  }
  const algorithm = limiterAlgorithmOf(c);
  if (algorithm !== undefined) {
    const reference = limiterReferenceLength(c) ?? mc;
    const n =
      mode === 'full' ? Math.min(reference, LIMITER_FULL_CAP) : samples(mode, reference, false);
    const key = `limiter ${JSON.stringify(algorithm)} ${lam} ${n}`;
    const system = limiterSystem(algorithm, lam!, n, hashSeed(key));
    return { kind: 'system', system, metric: c.metric };
  }
  return { kind: 'unsupported', reason: `no mapping for model "${m}"` };
}

/** Runs a system scenario file (validated like `stacksim run` does) on this thread. */
export function runSystem(system: TheorySystem): JobOutput {
  return runJob(systemJob(system, 0));
}

/** The job for a system: its scenario validated by the scenario schema and cross-checks. */
export function systemJob(system: TheorySystem, index: number): Job {
  const v = validateScenario(system.scenario);
  if (!v.ok) throw new Error(`${system.key}: ${JSON.stringify(v.issues)}`);
  return { index, scenario: v.scenario, seed: v.scenario.seed, series: true };
}

/** A queue system made to drain: no warm-up and clients stop at 90% of the run. */
function drained(system: TheorySystem): TheorySystem {
  const s = structuredClone(system.scenario) as {
    run: { duration: string; warmup: string };
    components: { src: Record<string, unknown> };
  };
  const seconds = Number.parseFloat(s.run.duration);
  s.run.warmup = '0s';
  s.components.src.stopAfter = `${Math.floor(seconds * 0.9)}s`;
  return { ...system, scenario: s as unknown as Record<string, unknown> };
}

const EXACT = 1e-9;

function invariantFor(id: string, mode: TheoryMode): CasePlan {
  const n = mode === 'full' ? 200_000 : 20_000;
  const mm2 = () => runSystem(drained(queueSystem({ lam: 1, mu: 1, c: 2 }, n, 7)));
  const exact = (simulated: number, note: string) => ({ simulated, tolerance: EXACT, note });
  const app = (o: JobOutput) => o.result.components.app!;
  const src = (o: JobOutput) => o.result.components.src!;
  switch (id) {
    case 'inv-little-L':
      return {
        kind: 'invariant',
        run: () => {
          const c = app(mm2());
          return exact(c.inSystem.mean - c.throughput * c.latency.mean, 'drained M/M/2, app');
        },
      };
    case 'inv-little-Lq':
      return {
        kind: 'invariant',
        run: () => {
          const o = mm2();
          const wq = src(o).breakdown?.queue?.mean ?? 0;
          return exact(app(o).queue.mean - app(o).throughput * wq, 'Wq from the queue phase');
        },
      };
    case 'inv-util':
      return {
        kind: 'invariant',
        run: () => {
          const o = mm2();
          const s = src(o).breakdown?.service?.mean ?? 0;
          return exact(
            app(o).utilisation - (app(o).throughput * s) / 2,
            'E[S] from the service phase',
          );
        },
      };
    case 'inv-resp':
      return {
        kind: 'invariant',
        run: () => {
          const c = src(mm2());
          const b = c.breakdown ?? {};
          const parts = Object.values(b).reduce((a, x) => a + x.mean, 0);
          const wq = b.queue?.mean ?? 0;
          const s = b.service?.mean ?? 0;
          return {
            simulated: c.latency.mean - (wq + s),
            tolerance: 1e-6,
            note: `client T vs queue+service phases (all phases sum to ${parts.toFixed(6)} s); tolerance = float rounding of phase means`,
          };
        },
      };
    case 'inv-flow':
      return {
        kind: 'invariant',
        run: () => {
          const o = runSystem(drained(queueSystem({ lam: 3.6, mu: 1, c: 4, K: 8 }, n, 8)));
          const c = app(o);
          const inside = c.arrivals - c.completions;
          return exact(inside, 'drained M/M/4/8: arrivals − (completions incl. 503 refusals)');
        },
      };
    case 'inv-lb-sum':
      return {
        kind: 'invariant',
        run: () => {
          const o = runSystem(drained(balancedSystem('random', 4, 0.5, n, 9)));
          const lb = o.result.components.lb!;
          return exact(app(o).arrivals - lb.arrivals, 'Σ arrivals of 4 app replicas − balancer');
        },
      };
    case 'inv-cache-cap':
      return {
        kind: 'invariant',
        run: () => {
          const sys = cacheSystem(
            { N: 10_000, alpha: 0.8, policy: 'lru', C: 100, rate: 1000 },
            n,
            0,
            5,
          );
          const observed = observeRun(systemJob(sys, 0).scenario);
          return exact(
            Math.max(0, observed.cacheExcess),
            'occupancy − C checked after every event (0 when never exceeded)',
          );
        },
      };
    case 'inv-scale':
      return {
        kind: 'invariant',
        run: () => {
          const w1 = app(runSystem(queueSystem({ lam: 0.5, mu: 1, c: 1 }, n, 11))).latency.mean;
          const w2 = app(runSystem(queueSystem({ lam: 1, mu: 2, c: 1 }, n, 11))).latency.mean;
          return {
            simulated: 2 * w2 - w1,
            tolerance: 1e-5 * w1,
            note: 'k = 2, same seed: samples scale exactly, but the clock is integer µs, so each delay is rounded (≤ 0.5 µs); tolerance 1e-5·W',
          };
        },
      };
    case 'inv-pasta':
      return {
        kind: 'invariant',
        run: () => {
          const o = runSystem(queueSystem({ lam: 0.5, mu: 1, c: 1 }, 10 * n, 12));
          const c = app(o);
          const pWait = (c.counters.queued ?? 0) / c.arrivals;
          return {
            simulated: pWait - c.utilisation,
            tolerance: 0.005 * Math.sqrt(2_000_000 / (10 * n)),
            note: 'statistical (PASTA holds in the limit): M/M/1 ρ=0.5, tolerance of mm1-rho0.5-P_wait scaled by √(2e6/n)',
          };
        },
      };
    case 'inv-ttl':
      return {
        kind: 'unsupported',
        reason:
          'the age of a hit is not observable in results; covered by the TTL-cache model tests',
      };
    case 'inv-tb-bound':
    case 'inv-fw-bound':
      return limiterBoundPlan(id, n);
    default:
      return { kind: 'unsupported', reason: `no mapping for invariant ${id}` };
  }
}

/** The plan for one reference case in a mode. */
export function planCase(c: ReferenceCase, mode: TheoryMode): CasePlan {
  return c.model === 'invariant' ? invariantFor(c.id, mode) : systemFor(c, mode);
}

/** The reference run length of a case: its mc_samples / mc_requests, else a sibling's. */
export function referenceLength(
  c: ReferenceCase,
  all: readonly ReferenceCase[],
): number | undefined {
  const own = (x: ReferenceCase) => {
    const p = x.params as Record<string, unknown>;
    return num(p.mc_samples) ?? num(p.mc_requests) ?? limiterReferenceLength(x);
  };
  const strip = (x: ReferenceCase) => {
    const { mc_samples: _a, mc_requests: _b, ...rest } = x.params as Record<string, unknown>;
    return `${x.model} ${JSON.stringify(rest)}`;
  };
  const mine = own(c);
  if (mine !== undefined) return mine;
  const key = strip(c);
  return all.map((x) => (strip(x) === key ? own(x) : undefined)).find((v) => v !== undefined);
}

/** σ of the mean latency by batch means over the run's windows (20 batches, first 10% dropped). */
function batchSigma(out: JobOutput, at: string): number | undefined {
  const s = out.series?.find((x) => x.component === at)?.metrics;
  if (s === undefined) return undefined;
  const done = s.completions ?? [];
  const mean = s.latencyMean ?? [];
  const from = Math.floor(done.length / 10);
  const size = Math.floor((done.length - from) / 20);
  if (size < 1) return undefined;
  const batches: number[] = [];
  for (let b = 0; b < 20; b++) {
    let n = 0;
    let sum = 0;
    for (let i = from + b * size; i < from + (b + 1) * size; i++) {
      n += done[i]!;
      sum += done[i]! * mean[i]!;
    }
    if (n > 0) batches.push(sum / n);
  }
  const m = batches.reduce((a, x) => a + x, 0) / batches.length;
  const v = batches.reduce((a, x) => a + (x - m) ** 2, 0) / (batches.length - 1);
  return Math.sqrt(v / batches.length);
}

/**
 * Tolerance for a run of n arrivals: the hint (for a run of mc samples) scaled by √(mc/n) when
 * n < mc. Without any reference length, the hint or 3 batch-means σ, whichever is larger.
 */
export function toleranceFor(
  c: ReferenceCase,
  n: number,
  mc: number | undefined,
  out?: JobOutput,
  at?: string,
): { tolerance: number; note: string } {
  const base = c.tolerance_hint.abs + c.tolerance_hint.rel * Math.abs(c.expected);
  if (mc === undefined) {
    // Batch means are of the mean latency: a yardstick for W, not for a fraction of servers.
    const sigma =
      out === undefined || at === undefined || c.metric.startsWith('fraction_of_servers_')
        ? undefined
        : batchSigma(out, at);
    if (sigma === undefined || 3 * sigma <= base) return { tolerance: base, note: 'hint as given' };
    return { tolerance: 3 * sigma, note: 'no run length in reference: 3 × batch-means σ' };
  }
  const scale = Math.max(1, Math.sqrt(mc / n));
  return {
    tolerance: base * scale,
    note: scale > 1 ? `tolerance ×${scale.toFixed(2)} (√(mc/n))` : '',
  };
}

/** Judges a system case from its run. */
export function judgeSystem(
  c: ReferenceCase,
  plan: Extract<CasePlan, { kind: 'system' }>,
  out: JobOutput,
  mc: number | undefined,
): CaseOutcome {
  const simulated = readMetric(out, plan.system.at, plan.metric);
  const n = out.result.components[plan.system.at]?.arrivals ?? 0;
  const { tolerance, note } = toleranceFor(c, Math.max(1, n), mc, out, plan.system.at);
  const pass = simulated !== undefined && Math.abs(simulated - c.expected) <= tolerance;
  return { id: c.id, expected: c.expected, simulated, tolerance, n, pass, note };
}
