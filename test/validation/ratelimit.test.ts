import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStream, exponential } from '../../engine/index.ts';
import type { LimiterAlgorithm } from '../../models/ratelimit/algorithm.ts';
import { FixedWindow } from '../../models/ratelimit/algorithms/fixed-window.ts';
import { TokenBucket } from '../../models/ratelimit/algorithms/token-bucket.ts';
import { referencePath } from '../helpers/reference.ts';
import { type Arrival, runLimiter } from '../unit/ratelimit/harness.ts';

interface RefCase {
  id: string;
  params: Record<string, number | boolean>;
  expected: number;
  tolerance_hint: { rel: number; abs: number };
}

const S = 1_000_000;
const REF: RefCase[] = JSON.parse(readFileSync(referencePath(), 'utf8'));
const cases = (prefix: string) => REF.filter((c) => c.id.startsWith(prefix));

/** Integer-µs Poisson arrival times at `lam` per second, as the simulator would schedule them. */
function poisson(lam: number, n: number, seed: string): number[] {
  const rng = createStream(seed, 'validation', 'arrivals');
  const gap = exponential(S / lam);
  const out = new Array<number>(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += gap.sample(rng);
    out[i] = Math.round(t);
  }
  return out;
}

/** Rejection fraction of one algorithm fed directly by a Poisson loop. */
function rejectFraction(a: LimiterAlgorithm, times: readonly number[]): number {
  let rejected = 0;
  for (const t of times) if (!a.decide(0, t).allowed) rejected++;
  return rejected / times.length;
}

/** |sim − expected| ≤ abs + rel·|expected|, rel widened by √(reference length / our length). */
function within(
  c: RefCase,
  sim: number,
  reference: number,
  ours: number,
): { ok: boolean; tol: number } {
  const scale = Math.sqrt(Math.max(1, reference / ours));
  const tol = c.tolerance_hint.abs * scale + c.tolerance_hint.rel * scale * Math.abs(c.expected);
  return { ok: Math.abs(sim - c.expected) <= tol, tol };
}

const rows: string[] = [];
const report = (id: string, how: string, expected: number, sim: number, tol: number, ok: boolean) =>
  rows.push(
    `${id.padEnd(22)} ${how.padEnd(10)} theory ${expected.toPrecision(6)} sim ${sim.toPrecision(6)} ±${tol.toPrecision(3)} ${ok ? 'PASS' : 'FAIL'}`,
  );

describe('rate limiter validation against reference.json', () => {
  it.each(cases('tb-fluid-'))('$id: continuous token bucket, direct Poisson loop', (c) => {
    const n = Number(c.params.mc_requests);
    const times = poisson(Number(c.params.lam), n, c.id);
    const sim = rejectFraction(
      new TokenBucket({ rate: Number(c.params.r), burst: Number(c.params.b) }),
      times,
    );
    const { ok, tol } = within(c, sim, n, n);
    report(c.id, 'direct', c.expected, sim, tol, ok);
    expect(ok).toBe(true);
  });

  it.each(cases('fw-'))('$id: fixed window, direct Poisson loop', (c) => {
    const windows = 100_000;
    const lam = Number(c.params.lam);
    const W = Number(c.params.W_s) * S;
    const times = poisson(lam, Math.round(windows * lam * Number(c.params.W_s)), c.id);
    const sim = rejectFraction(new FixedWindow({ limit: Number(c.params.L), window: W }), times);
    const { ok, tol } = within(c, sim, Number(c.params.mc_windows), windows);
    report(c.id, 'direct', c.expected, sim, tol, ok);
    expect(ok).toBe(true);
  });

  const viaComponent: [string, Record<string, unknown>][] = [
    ['tb-fluid-b10-lam150', { algorithm: 'token-bucket', rate: '100/s', burst: 10 }],
    ['fw-L100-W1-lam100', { algorithm: 'fixed-window', limit: 100, window: '1s' }],
  ];
  it.each(viaComponent)('%s through the real rate-limiter component', (id, algorithm) => {
    const c = REF.find((r) => r.id === id)!;
    const n = 200_000;
    const arrivals: Arrival[] = poisson(Number(c.params.lam), n, `${id}-component`).map((at) => ({
      at,
    }));
    const run = runLimiter({ limiter: { algorithm, key: 'global' }, arrivals });
    // The component must make exactly the decisions of the directly validated algorithm.
    const direct = id.startsWith('tb')
      ? new TokenBucket({ rate: 100, burst: 10 })
      : new FixedWindow({ limit: 100, window: S });
    expect(run.result.counters.rejected).toBe(
      Math.round(
        rejectFraction(
          direct,
          arrivals.map((a) => a.at),
        ) * n,
      ),
    );
    const sim = run.result.counters.rejected! / n;
    const reference = Number(
      c.params.mc_requests ?? Number(c.params.mc_windows) * Number(c.params.lam),
    );
    const { ok, tol } = within(c, sim, reference, n);
    report(id, 'component', c.expected, sim, tol, ok);
    expect(run.seen).toHaveLength(n);
    expect(ok).toBe(true);
  });

  it('prints the table', () => {
    console.log(`\n${rows.join('\n')}`);
    expect(rows.length).toBe(cases('tb-fluid-').length + cases('fw-').length + 2);
  });
});
