// A user cache policy: LRU on a JavaScript Map (insertion order = recency order), bounded by
// entries and/or bytes.
//   stacksim check-algorithm examples/algorithms/lru-map.ts --family cache-policy
import type { CacheKey, EvictionPolicy } from '../../models/cache/policy.ts';

/** Makes the policy; stacksim passes capacity / capacityBytes (and rng) in the options. */
export function create(options: { capacity?: number; capacityBytes?: number }): EvictionPolicy {
  const capacity = options.capacity ?? Number.POSITIVE_INFINITY;
  const capacityBytes = options.capacityBytes ?? Number.POSITIVE_INFINITY;
  const sizes = new Map<CacheKey, number>();
  let bytes = 0;
  const policy: EvictionPolicy = {
    name: 'lru-map',
    capacity,
    capacityBytes,
    get size() {
      return sizes.size;
    },
    get bytes() {
      return bytes;
    },
    onEvict: undefined,
    get(key) {
      const s = sizes.get(key);
      if (s === undefined) return false;
      sizes.delete(key);
      sizes.set(key, s); // move to the most recent end
      return true;
    },
    has: (key) => sizes.has(key),
    admit(key, size = 1) {
      policy.delete(key);
      if (size > capacityBytes) return;
      while (sizes.size + 1 > capacity || bytes + size > capacityBytes) {
        const [oldest, s] = sizes.entries().next().value as [CacheKey, number];
        sizes.delete(oldest);
        bytes -= s;
        policy.onEvict?.(oldest);
      }
      sizes.set(key, size);
      bytes += size;
    },
    delete(key) {
      const s = sizes.get(key);
      if (s === undefined) return false;
      sizes.delete(key);
      bytes -= s;
      return true;
    },
    clear() {
      sizes.clear();
      bytes = 0;
    },
  };
  return policy;
}
