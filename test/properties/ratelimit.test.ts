import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedWindow } from '../../models/ratelimit/algorithms/fixed-window.ts';
import { Gcra } from '../../models/ratelimit/algorithms/gcra.ts';
import { SlidingLog } from '../../models/ratelimit/algorithms/sliding-log.ts';
import { TokenBucket } from '../../models/ratelimit/algorithms/token-bucket.ts';
import { runLimiter } from '../unit/ratelimit/harness.ts';

const S = 1_000_000;

/** Non-decreasing integer-µs arrival times from generated gaps (bursts of zero gaps included). */
const arrivalsArb = fc
  .array(
    fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 2000 }),
      fc.integer({ min: 0, max: 400_000 }),
    ),
    {
      minLength: 1,
      maxLength: 300,
    },
  )
  .map((gaps) => {
    const out: number[] = [];
    let t = 0;
    for (const g of gaps) {
      t += g;
      out.push(t);
    }
    return out;
  });

function admittedTimes(decide: (t: number) => boolean, times: readonly number[]): number[] {
  return times.filter((t) => decide(t));
}

describe('rate limiter invariants', () => {
  it('token bucket: any interval [a_i, a_j] holds at most b + r·(a_j − a_i) admissions', () => {
    fc.assert(
      fc.property(
        arrivalsArb,
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        (times, r, b) => {
          const tb = new TokenBucket({ rate: r, burst: b });
          const adm = admittedTimes((t) => tb.decide('k', t).allowed, times);
          for (let i = 0; i < adm.length; i++) {
            for (let j = i; j < adm.length; j++) {
              // Exact on integer µs: count·10^6 ≤ b·10^6 + r·Δt (tiny float slack on refills).
              expect((j - i + 1) * S).toBeLessThanOrEqual(b * S + r * (adm[j]! - adm[i]!) + 1e-6);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('GCRA obeys the same bound with capacity maxBurst + 1', () => {
    fc.assert(
      fc.property(
        arrivalsArb,
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 10 }),
        (times, r, mb) => {
          const g = new Gcra({ count: r, period: S, maxBurst: mb });
          const adm = admittedTimes((t) => g.decide('k', t).allowed, times);
          for (let i = 0; i < adm.length; i++) {
            for (let j = i; j < adm.length; j++) {
              expect((j - i + 1) * S).toBeLessThanOrEqual(
                (mb + 1) * S + r * (adm[j]! - adm[i]!) + 1e-6,
              );
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fixed window: never more than L admissions per aligned window', () => {
    fc.assert(
      fc.property(
        arrivalsArb,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 2 * S }),
        (times, L, W) => {
          const fw = new FixedWindow({ limit: L, window: W });
          const per = new Map<number, number>();
          for (const t of admittedTimes((t) => fw.decide('k', t).allowed, times)) {
            const w = Math.floor(t / W);
            per.set(w, (per.get(w) ?? 0) + 1);
          }
          for (const n of per.values()) expect(n).toBeLessThanOrEqual(L);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sliding log: never more than L admissions in any window of length W', () => {
    fc.assert(
      fc.property(
        arrivalsArb,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 2 * S }),
        (times, L, W) => {
          const sl = new SlidingLog({ limit: L, window: W });
          const adm = admittedTimes((t) => sl.decide('k', t).allowed, times);
          // The densest half-open window [a_i, a_i + W) starts at an admission.
          for (let i = 0; i + L < adm.length; i++)
            expect(adm[i + L]! - adm[i]!).toBeGreaterThanOrEqual(W);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('shared counters across replicas: atomic obeys the global bound, read-then-write reports its excess', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 200 }),
        (replicas, L, gaps) => {
          const arrivals: { at: number }[] = [];
          let t = 0;
          for (const g of gaps) {
            t += g;
            arrivals.push({ at: t });
          }
          const algorithm = { algorithm: 'fixed-window', limit: L, window: '100ms' };
          const perWindow = (adm: number[]) => {
            const m = new Map<number, number>();
            for (const a of adm)
              m.set(Math.floor(a / 100_000), (m.get(Math.floor(a / 100_000)) ?? 0) + 1);
            return m;
          };
          // The sink sees requests 1 ms after the decision started; windows are keyed at arrival.
          const run = (mode: string) =>
            runLimiter({
              limiter: { algorithm, key: 'global', store: { id: 'kv', mode } },
              replicas,
              arrivals,
            });
          const atomic = run('atomic');
          const racy = run('read-then-write');
          const atomicStats = atomic.result.extras as { overAdmitted: number };
          expect(atomicStats.overAdmitted).toBe(0);
          const byArrival = (r: typeof atomic) =>
            perWindow(r.seen.filter((s) => s.status === 200).map((s) => s.sentAt));
          for (const n of byArrival(atomic).values()) expect(n).toBeLessThanOrEqual(L);
          let excess = 0;
          for (const n of byArrival(racy).values()) excess += Math.max(0, n - L);
          expect((racy.result.extras as { overAdmitted: number }).overAdmitted).toBe(excess);
        },
      ),
      { numRuns: 60 },
    );
  });
});
