// The limiter contract: every built-in algorithm passes it (test/unit/ratelimit/contract.test.ts)
// and `stacksim check-algorithm FILE --family limiter` runs it against a user module.
import fc from 'fast-check';
import type { LimiterAlgorithm } from '../../models/ratelimit/algorithm.ts';
import {
  type ContractProperty,
  checkExample,
  checkProperty,
  ensure,
  fingerprintOf,
} from './property.ts';

const S = 1_000_000;

/** A deterministic pseudo-random arrival sequence (LCG), non-decreasing integer µs. */
export function arrivals(n: number, meanGap: number, seed: number): number[] {
  let x = seed;
  let t = 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    t += Math.floor((x / 2147483648) * 2 * meanGap);
    out.push(t);
  }
  return out;
}

/** Options of the limiter contract. */
export interface LimiterContractOptions {
  /** Per-key rate limits (not adaptive concurrency): keys are independent, idle keys expire. */
  readonly keyed: boolean;
  /**
   * A limit on requests in flight (NGINX limit_conn): a slot frees on completion, not with time,
   * so Retry-After and idle expiry do not apply.
   */
  readonly inFlight?: boolean;
}

/** The contract properties of a limiter made fresh by `make`. */
export function limiterContract(
  make: () => LimiterAlgorithm,
  options: LimiterContractOptions = { keyed: true },
): ContractProperty[] {
  const props: ContractProperty[] = [
    {
      name: 'admits a fresh key and reports a well-formed decision',
      check: () =>
        checkExample('decide("k", 5s) on a fresh limiter', () => {
          const d = make().decide('k', 5 * S);
          ensure(d.allowed, 'a fresh key was rejected');
          ensure(
            d.retryAfter === 0 && d.delay === 0,
            `retryAfter ${d.retryAfter} and delay ${d.delay}, expected 0`,
          );
          ensure(d.limit > 0, `limit ${d.limit}, expected > 0`);
        }),
    },
    {
      name: 'every decision is well formed under overload, and some are rejected',
      check: () =>
        checkProperty(
          fc.record({
            seed: fc.integer({ min: 1, max: 1_000_000 }),
            gap: fc.integer({ min: 100, max: 20_000 }),
          }),
          ({ seed, gap }) => {
            const a = make();
            let rejected = 0;
            for (const t of arrivals(2000, gap, seed)) {
              const d = a.decide('k', t);
              ensure(
                d.remaining >= 0 && d.delay >= 0 && d.resetAfter >= 0,
                `at t=${t}: negative remaining, delay or resetAfter`,
              );
              ensure(
                Number.isInteger(d.retryAfter),
                `at t=${t}: retryAfter ${d.retryAfter} is not whole µs`,
              );
              if (d.allowed)
                ensure(d.retryAfter === 0, `at t=${t}: allowed with retryAfter ${d.retryAfter}`);
              else {
                rejected++;
                ensure(
                  d.retryAfter > 0,
                  `at t=${t}: rejected with retryAfter ${d.retryAfter} (expected > 0)`,
                );
                ensure(d.delay === 0, `at t=${t}: rejected with delay ${d.delay}`);
              }
            }
            ensure(rejected > 0, `2 000 requests ${gap} µs apart: none rejected`);
          },
          20,
        ),
    },
    {
      name: 'is deterministic: two instances give identical decisions',
      check: () =>
        checkExample('500 requests over 3 keys', () => {
          const a = make();
          const b = make();
          for (const t of arrivals(500, S / 40, 3)) {
            const x = JSON.stringify(a.decide(t % 3, t));
            const y = JSON.stringify(b.decide(t % 3, t));
            ensure(x === y, `at t=${t}: ${x} vs ${y}`);
          }
        }),
    },
  ];
  if (!options.keyed) return props;
  const independent: ContractProperty = {
    name: 'keeps keys independent',
    check: () =>
      checkExample('100 requests for "noisy" at 1s, then one for "quiet"', () => {
        const a = make();
        for (let i = 0; i < 100; i++) a.decide('noisy', S);
        ensure(
          !a.decide('noisy', S).allowed,
          'the 101st request of "noisy" at one instant was admitted',
        );
        ensure(a.decide('quiet', S).allowed, '"quiet" was rejected because of "noisy"');
      }),
  };
  if (options.inFlight === true) return props.concat([independent]);
  return props.concat([
    independent,
    {
      name: 'honours its own Retry-After',
      check: () =>
        checkExample('saturate key "k" at 1s, retry after retryAfter', () => {
          const a = make();
          let d = a.decide('k', S);
          let n = 0;
          while (d.allowed && n++ < 1_000_000) d = a.decide('k', S);
          ensure(!d.allowed, 'never rejected a burst of 1 000 000 requests');
          ensure(
            a.decide('k', S + d.retryAfter).allowed,
            `still rejected after its Retry-After of ${d.retryAfter} µs`,
          );
        }),
    },
    {
      name: 'expires idle keys so memory stays bounded',
      check: () =>
        checkExample('100 000 distinct keys, one every 1 ms', () => {
          const a = make();
          for (let i = 0; i < 100_000; i++) a.decide(i, i * 1000);
          ensure(a.size() < 3_000, `${a.size()} keys still hold state (expected < 3 000)`);
        }),
    },
  ]);
}

/** A fingerprint of a fixed workload (3 000 requests over 5 keys) for determinism checks. */
export function limiterFingerprint(make: () => LimiterAlgorithm): string {
  const a = make();
  const out: (number | boolean)[] = [];
  for (const t of arrivals(3_000, S / 50, 11)) {
    const d = a.decide(t % 5, t);
    out.push(d.allowed, d.remaining, d.retryAfter, d.delay);
  }
  return fingerprintOf(out);
}
