// Issue 6, "What must be shown": each rate-limiting scenario file runs end to end (one
// replication per variant, shortened through the parsed object) and shows its outcome.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { planCells } from '../../experiments/plan.ts';
import type { RunResult } from '../../models/scenario/build.ts';
import { runScenario } from '../../models/scenario/build.ts';
import { validateScenario } from '../../models/scenario/load.ts';
import type { ComponentResult } from '../../models/scenario/results.ts';

type Raw = Record<string, unknown> & { run: Record<string, unknown> };

function load(name: string): Raw {
  const url = new URL(`../../scenarios/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Raw;
}

/** Runs every variant of a raw scenario once (scenario seed): variant name → result. */
function runVariants(raw: Raw): Map<string, RunResult> {
  const checked = validateScenario(raw);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const planned = planCells(raw, checked.scenario);
  if (!planned.ok) throw new Error(JSON.stringify(planned.issues));
  const out = new Map<string, RunResult>();
  for (const cell of planned.cells) out.set(cell.variant!, runScenario(cell.scenario));
  return out;
}

function component(runs: Map<string, RunResult>, variant: string, id: string): ComponentResult {
  const c = runs.get(variant)?.components[id];
  if (c === undefined) throw new Error(`no ${id} in ${variant}`);
  return c;
}

const rejectRatio = (c: ComponentResult) => c.ratios.rejectRatio429 ?? 0;

describe('rate-limit-compare: bursty on/off load from 100 keys against every algorithm', () => {
  const raw = load('rate-limit-compare');
  raw.run = { ...raw.run, duration: '20s', warmup: '10s', replications: 1 };
  let runs = new Map<string, RunResult>();
  beforeAll(() => {
    runs = runVariants(raw);
  });
  const limiter = (v: string) => component(runs, v, 'limiter');
  const burst = (v: string) => limiter(v).counters.admittedBurst ?? -1;
  const fixedRate = () => [...runs.keys()].filter((v) => v !== 'adaptive-concurrency');

  it('prints 429 ratio, admitted burst and admitted p99 side by side', () => {
    const rows = [...runs.keys()].map(
      (v) =>
        `${v.padEnd(22)} ${rejectRatio(limiter(v)).toFixed(3)}  ${String(burst(v)).padStart(4)}  ${component(runs, v, 'limiter.admitted').latency.p99.toFixed(4)}`,
    );
    console.log(`\nvariant                429    burst  p99-admitted(s)\n${rows.join('\n')}`);
    expect(fixedRate()).toHaveLength(10);
  });

  it('every fixed-rate algorithm bites during the bursts', () => {
    // Offered 40 per key per burst, nominal 5/s with at most 10 of burst: over 40% rejected.
    for (const v of fixedRate()) expect(rejectRatio(limiter(v)), v).toBeGreaterThan(0.4);
  });

  it('admitted burst size follows the algorithm: buckets let 10 + 5/s through, windows 5 per second', () => {
    expect(burst('token-bucket')).toBeGreaterThanOrEqual(burst('fixed-window') + 5);
    expect(burst('token-bucket')).toBeLessThanOrEqual(21); // 10 + 5/s × 2.001 s
    expect(burst('sliding-log')).toBeLessThanOrEqual(10);
    expect(burst('fixed-window')).toBeLessThanOrEqual(15); // three aligned windows touched
    expect(burst('gcra')).toBe(burst('token-bucket'));
    expect(rejectRatio(limiter('gcra'))).toBe(rejectRatio(limiter('token-bucket')));
  });

  it('the leaky meter with burst delays the excess (NGINX limit_req) unless nodelay', () => {
    const p99 = (v: string) => component(runs, v, 'limiter.admitted').latency.p99;
    expect(p99('leaky-meter')).toBeGreaterThan(1.5); // up to burst/rate = 2 s of delay
    expect(p99('leaky-meter-delay5')).toBeGreaterThan(0.5);
    expect(p99('leaky-meter-delay5')).toBeLessThan(p99('leaky-meter'));
    expect(p99('leaky-meter-nodelay')).toBeLessThan(0.1);
    expect(p99('leaky-queue')).toBeGreaterThan(1.5);
    expect(rejectRatio(limiter('leaky-meter-nodelay'))).toBe(rejectRatio(limiter('leaky-meter')));
  });

  it('adaptive concurrency is not a rate limit: the servers are not overloaded, so it admits all', () => {
    expect(rejectRatio(limiter('adaptive-concurrency'))).toBeLessThan(0.05);
  });
});

describe('rate-limit-tiers: a noisy free key does not hurt pro and enterprise', () => {
  const raw = load('rate-limit-tiers');
  raw.run = { ...raw.run, duration: '10s', warmup: '2s', replications: 1 };
  let runs = new Map<string, RunResult>();
  beforeAll(() => {
    runs = runVariants(raw);
  });

  it('the free tier is limited, pro and enterprise are not', () => {
    const tiers = component(runs, 'limited', 'gateway').extras!.tiers as Record<
      string,
      { rejectRatio: number }
    >;
    expect(tiers.free!.rejectRatio).toBeGreaterThan(0.5);
    expect(tiers.pro!.rejectRatio).toBeLessThan(0.001);
    expect(tiers.enterprise!.rejectRatio).toBeLessThan(0.001);
    expect(rejectRatio(component(runs, 'limited', 'noisy'))).toBeGreaterThan(0.95);
    expect(rejectRatio(component(runs, 'limited', 'free'))).toBeLessThan(0.01);
  });

  it('pro and enterprise p99 are the same with and without the noisy neighbour', () => {
    for (const id of ['pro', 'enterprise']) {
      const limited = component(runs, 'limited', id).latency.p99;
      const quiet = component(runs, 'quiet', id).latency.p99;
      expect(Math.abs(limited - quiet) / quiet, id).toBeLessThan(0.25);
      expect(rejectRatio(component(runs, 'limited', id)), id).toBe(0);
    }
  });

  it('without enforcement (dry run) the noisy load reaches the servers', () => {
    const api = (v: string) => component(runs, v, 'api').throughput;
    expect(api('dry-run')).toBeGreaterThan(api('limited') + 400);
  });
});

describe('login-bruteforce: a lockout stops password guessing and keeps logins fast', () => {
  const raw = load('login-bruteforce');
  raw.run = { ...raw.run, replications: 1 };
  let runs = new Map<string, RunResult>();
  beforeAll(() => {
    runs = runVariants(raw);
  });

  it('without a limit the bcrypt work of the attack saturates the servers', () => {
    expect(component(runs, 'no-limit', 'users').latency.p99).toBeGreaterThan(2);
    expect(component(runs, 'no-limit', 'app').utilisation).toBeGreaterThan(0.95);
  });

  it('with the login limiter, legitimate p99 holds and the attacker gets 429/401', () => {
    const users = component(runs, 'login-limit', 'users');
    expect(users.latency.p99).toBeLessThan(0.5);
    expect(users.latency.p99 * 5).toBeLessThan(component(runs, 'no-limit', 'users').latency.p99);
    expect(users.byStatus['200']).toBe(users.completions);
    const attacker = component(runs, 'login-limit', 'attacker');
    const refused = (attacker.byStatus['429'] ?? 0) + (attacker.byStatus['401'] ?? 0);
    expect(refused).toBe(attacker.completions);
    expect(attacker.byStatus['429'] ?? 0).toBeGreaterThan(0.95 * attacker.completions);
  });

  it('the lockout hears the 401s through the completion hook (each IP locked after a few)', () => {
    const failures = component(runs, 'login-limit', 'attacker').byStatus['401'] ?? 0;
    // 4 IPs × (5 failures + the guesses already in flight when the fifth came back).
    expect(failures).toBeGreaterThanOrEqual(4 * 5);
    expect(failures).toBeLessThan(4 * 25);
  });
});

describe('distributed-limit-race: 8 sidecars share a Redis counter', () => {
  const raw = load('distributed-limit-race');
  raw.run = { ...raw.run, duration: '5s', warmup: '1s', replications: 1 };
  let runs = new Map<string, RunResult>();
  beforeAll(() => {
    runs = runVariants(raw);
  });
  const limiter = (v: string) => component(runs, v, 'limiter');

  it('atomic INCR admits exactly the limit; read-then-write over-admits', () => {
    expect(limiter('atomic').counters.overAdmitted).toBe(0);
    expect(limiter('atomic').counters.allowed).toBeLessThanOrEqual(5 * 1000);
    expect(limiter('atomic').counters.allowed).toBeGreaterThan(4.9 * 1000);
    const over = limiter('read-then-write').counters.overAdmitted!;
    expect(over).toBeGreaterThan(1000);
    expect(limiter('read-then-write').extras!.overAdmitted).toBe(over);
    expect(limiter('read-then-write').counters.allowed).toBeGreaterThan(5 * 1000 + over * 0.9);
  });

  it('reports X-RateLimit-Remaining and Retry-After as sent with the 429s', () => {
    for (const v of ['atomic', 'read-then-write']) {
      const at = limiter(v).extras!.atRejection as Record<string, number>;
      const rejected = limiter(v).counters.rejected ?? limiter(v).byStatus['429'] ?? 0;
      expect(at.rejections).toBeGreaterThan(0);
      expect(at.rejections).toBe(rejected);
      expect(at.remainingMean).toBe(0); // a rejection leaves nothing remaining
      expect(at.remainingMax).toBe(0);
      expect(at.retryAfterMean).toBeGreaterThanOrEqual(1);
    }
  });
});
