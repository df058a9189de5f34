import type { CacheKey, EvictionPolicy } from './policy.ts';

/** Hit counts of one trace replay. */
export interface ReplayResult {
  readonly requests: number;
  readonly hits: number;
  readonly hitRatio: number;
}

/**
 * Replays a trace through a policy (get, and admit on a miss), counting hits only after the
 * first `warmup` requests. `sizeOf` gives object sizes (default 1 byte each).
 */
export function replay(
  policy: EvictionPolicy,
  trace: ArrayLike<CacheKey>,
  warmup = 0,
  sizeOf: (key: CacheKey) => number = () => 1,
): ReplayResult {
  let hits = 0;
  for (let i = 0; i < trace.length; i++) {
    const key = trace[i]!;
    if (policy.get(key)) {
      if (i >= warmup) hits++;
    } else policy.admit(key, sizeOf(key));
  }
  const requests = Math.max(0, trace.length - warmup);
  return { requests, hits, hitRatio: requests === 0 ? 0 : hits / requests };
}
