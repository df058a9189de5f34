// The eviction-policy contract: every built-in policy passes it (test/unit/cache/contract.test.ts)
// and `stacksim check-algorithm FILE --family cache-policy` runs it against a user module.
import { createStream, zipf } from '../../engine/index.ts';
import { createOptPolicy } from '../../models/cache/policies/index.ts';
import type { CacheKey, EvictionPolicy } from '../../models/cache/policy.ts';
import { replay } from '../../models/cache/replay.ts';
import { type ContractProperty, checkExample, ensure, fingerprintOf } from './property.ts';

/** Capacity given to a policy under test (entries and/or bytes). */
export interface CapacityOptions {
  readonly capacity?: number;
  readonly capacityBytes?: number;
}

/** Makes a fresh policy; `trace` is the future for oracle policies (OPT), ignored by others. */
export type PolicyMaker = (options: CapacityOptions, trace: ArrayLike<CacheKey>) => EvictionPolicy;

/** An IRM Zipf trace from the engine's zipf sampler. */
export function zipfTrace(n: number, s: number, length: number, seed = 1): Float64Array {
  const rng = createStream(seed, 'trace', 'zipf');
  const z = zipf(n, s);
  const t = new Float64Array(length);
  for (let i = 0; i < length; i++) t[i] = z.sample(rng);
  return t;
}

/** The contract properties of an eviction policy; `admission` policies may decline newcomers. */
export function cachePolicyContract(make: PolicyMaker, admission = false): ContractProperty[] {
  return [
    {
      name: 'tracks residency exactly: admitted minus evicted minus deleted',
      check: () =>
        checkExample('Zipf(0.9) over 500 keys, 20 000 requests, capacity 50, 2% deletes', () => {
          const trace = zipfTrace(500, 0.9, 20_000, 3);
          const p = make({ capacity: 50 }, trace);
          const resident = new Set<CacheKey>();
          let evictions = 0;
          p.onEvict = (k) => {
            ensure(resident.has(k), `onEvict(${String(k)}) for a key that is not resident`);
            resident.delete(k);
            evictions++;
          };
          const rng = createStream(1, 'contract', 'residency');
          for (let i = 0; i < trace.length; i++) {
            const key = trace[i]!;
            const hit = p.get(key);
            ensure(
              hit === resident.has(key),
              `request ${i} (key ${key}): get() said ${hit}, but the key is ${resident.has(key) ? '' : 'not '}resident`,
            );
            if (!hit) {
              p.admit(key, 1);
              if (p.has(key)) resident.add(key);
            }
            if (rng.next() < 0.02 && resident.size > 0) {
              const victim = [...resident][0]!;
              ensure(
                p.delete(victim),
                `request ${i}: delete(${String(victim)}) of a resident key returned false`,
              );
              resident.delete(victim);
            }
            ensure(
              p.size === resident.size,
              `request ${i}: size ${p.size}, but ${resident.size} keys are resident`,
            );
            ensure(p.size <= 50, `request ${i}: size ${p.size} exceeds the capacity of 50`);
            ensure(
              p.bytes === resident.size,
              `request ${i}: bytes ${p.bytes}, expected ${resident.size}`,
            );
          }
          ensure(evictions > 100, `only ${evictions} evictions reported through onEvict`);
        }),
    },
    {
      name: 'never exceeds a byte capacity with mixed sizes',
      check: () =>
        checkExample('Zipf(0.8) over 300 keys, sizes 100..999 B, capacityBytes 10 000', () => {
          const trace = zipfTrace(300, 0.8, 5_000, 4);
          const p = make({ capacityBytes: 10_000 }, trace);
          const size = (k: CacheKey) => 100 + ((Number(k) * 7919) % 900);
          for (let i = 0; i < trace.length; i++) {
            const key = trace[i]!;
            if (!p.get(key)) p.admit(key, size(key));
            ensure(p.bytes <= 10_000, `request ${i}: ${p.bytes} bytes resident`);
          }
          ensure(p.size > 5, `only ${p.size} entries resident at the end`);
        }),
    },
    {
      name: 'refuses an object larger than the byte capacity',
      check: () =>
        checkExample('capacity 10 entries / 100 bytes, admit(1, 101)', () => {
          const p = make({ capacity: 10, capacityBytes: 100 }, [1]);
          p.get(1);
          p.admit(1, 101);
          ensure(!p.has(1) && p.bytes === 0, 'a 101-byte object was admitted into 100 bytes');
        }),
    },
    {
      name: 'delete and clear empty it without eviction callbacks',
      check: () =>
        checkExample('capacity 5, keys 1 2 3, delete(2), clear()', () => {
          const trace = [1, 2, 3, 1, 2, 3];
          const p = make({ capacity: 5 }, trace);
          let evicted = 0;
          p.onEvict = () => evicted++;
          for (const k of trace.slice(0, 3)) if (!p.get(k)) p.admit(k, 1);
          if (!admission) ensure(p.size === 3, `size ${p.size} after 3 distinct keys, expected 3`);
          const had = p.has(2);
          ensure(p.delete(2) === had, 'delete(2) disagrees with has(2)');
          ensure(!p.has(2) && !p.delete(2), 'key 2 still there after delete');
          p.clear();
          ensure(p.size === 0 && p.bytes === 0, `size ${p.size}, bytes ${p.bytes} after clear()`);
          ensure(evicted === 0, `${evicted} eviction callbacks for delete/clear`);
        }),
    },
    {
      name: 'fills up to capacity on distinct keys',
      check: () =>
        checkExample('capacity 20, keys 1..40 once each', () => {
          const keys = Array.from({ length: 40 }, (_, i) => i + 1);
          const p = make({ capacity: 20 }, keys);
          for (const k of keys) if (!p.get(k)) p.admit(k, 1);
          ensure(p.size === 20, `size ${p.size}, expected 20`);
        }),
    },
    {
      name: 'beats nothing-cached and stays below OPT on a Zipf trace',
      check: () =>
        checkExample('Zipf(0.9) over 2 000 keys, 30 000 requests, capacity 100', () => {
          const trace = zipfTrace(2000, 0.9, 30_000, 5);
          const r = replay(make({ capacity: 100 }, trace), trace);
          const opt = replay(createOptPolicy({ capacity: 100 }, trace), trace);
          ensure(
            r.hits > 0.15 * trace.length,
            `${r.hits} hits of ${trace.length} (expected > 15%)`,
          );
          ensure(r.hits <= opt.hits, `${r.hits} hits, more than OPT's ${opt.hits}`);
        }),
    },
  ];
}

/** A fingerprint of a fixed workload (Zipf, capacity 64) for determinism checks. */
export function cachePolicyFingerprint(make: PolicyMaker): string {
  const trace = zipfTrace(1000, 0.9, 10_000, 9);
  const p = make({ capacity: 64 }, trace);
  const out: boolean[] = [];
  for (let i = 0; i < trace.length; i++) {
    const hit = p.get(trace[i]!);
    out.push(hit);
    if (!hit) p.admit(trace[i]!, 1);
  }
  return fingerprintOf(out);
}
