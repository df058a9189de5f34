import type { BackendView } from '../algorithm.ts';
import { hash32 } from '../hashing.ts';

/** A ketama-style hash ring: sorted 32-bit points, each owned by a backend index. */
export interface Ring {
  readonly points: Uint32Array;
  readonly owners: Int32Array;
}

/** Builds the ring with `perServer` × configured weight points per backend (NGINX uses 160). */
export function buildRing(view: BackendView, perServer: number): Ring {
  let total = 0;
  const counts: number[] = [];
  for (let i = 0; i < view.n; i++) {
    const c = Math.max(1, Math.round(perServer * view.baseWeight(i)));
    counts.push(c);
    total += c;
  }
  const raw = new Uint32Array(total);
  const rawOwner = new Int32Array(total);
  let k = 0;
  for (let i = 0; i < view.n; i++) {
    const name = view.name(i);
    for (let j = 0; j < counts[i]!; j++) {
      raw[k] = hash32(`${name}-${j}`);
      rawOwner[k] = i;
      k++;
    }
  }
  const order = new Int32Array(total);
  for (let j = 0; j < total; j++) order[j] = j;
  order.sort((a, b) => raw[a]! - raw[b]! || rawOwner[a]! - rawOwner[b]!);
  const points = new Uint32Array(total);
  const owners = new Int32Array(total);
  for (let j = 0; j < total; j++) {
    points[j] = raw[order[j]!]!;
    owners[j] = rawOwner[order[j]!]!;
  }
  return { points, owners };
}

/** Index of the first ring point at or after `h` (wrapping to 0), by binary search. */
export function ringStart(ring: Ring, h: number): number {
  const p = ring.points;
  let lo = 0;
  let hi = p.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (p[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  return lo === p.length ? 0 : lo;
}
