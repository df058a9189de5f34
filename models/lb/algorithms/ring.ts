import { utf8Bytes as utf8 } from '../../core/utf8.ts';
import type { BackendView } from '../algorithm.ts';
import { crc32Update } from '../crc32.ts';
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

/**
 * NGINX's ring (`hash … consistent`, ngx_http_upstream_init_chash): per backend, from its
 * address "host:port" (`address`, else its id), 160 × weight points, point j being
 * crc32(host "\0" port prev) where prev is point j−1 as 4 little-endian bytes (0 for the
 * first); sorted, equal points merged (the first kept).
 */
export function buildNginxRing(view: BackendView, perServer: number): Ring {
  const raw: number[] = [];
  const rawOwner: number[] = [];
  for (let i = 0; i < view.n; i++) {
    const server = view.address?.(i) ?? view.name(i);
    const colon = server.lastIndexOf(':');
    const portOk = colon >= 0 && /^[0-9]*$/.test(server.slice(colon + 1));
    const host = portOk ? server.slice(0, colon) : server;
    const port = portOk ? server.slice(colon + 1) : '';
    const base = crc32Update(crc32Update(crc32Update(0xffffffff, utf8(host)), [0]), utf8(port));
    let prev = 0;
    const count = Math.max(1, Math.round(perServer * view.baseWeight(i)));
    for (let j = 0; j < count; j++) {
      const bytes = [prev & 255, (prev >>> 8) & 255, (prev >>> 16) & 255, (prev >>> 24) & 255];
      const h = (crc32Update(base, bytes) ^ 0xffffffff) >>> 0;
      raw.push(h);
      rawOwner.push(i);
      prev = h;
    }
  }
  const order = raw.map((_, k) => k).sort((a, b) => raw[a]! - raw[b]! || a - b);
  const points: number[] = [];
  const owners: number[] = [];
  for (const k of order) {
    if (points.length > 0 && points[points.length - 1] === raw[k]) continue;
    points.push(raw[k]!);
    owners.push(rawOwner[k]!);
  }
  return { points: Uint32Array.from(points), owners: Int32Array.from(owners) };
}
