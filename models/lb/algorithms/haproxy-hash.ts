import { z } from 'zod';
import { utf8Bytes as utf8 } from '../../core/utf8.ts';
import type { HttpRequest } from '../../http/messages.ts';
import type { BackendView, Balancer } from '../algorithm.ts';
import { hashOnSchema } from '../hashing.ts';

/** Config of HAProxy's hash balancing: `balance source | uri | hdr(…)` with `hash-type`. */
export const haproxyHashSchema = z.strictObject({
  name: z.literal('haproxy-hash'),
  on: hashOnSchema.describe(
    'ip: balance source (the IPv4 address as a number); route: balance uri (sdbm of the path up to ?); key, user, session: sdbm of the decimal text (balance hdr)',
  ),
  hashType: z
    .enum(['map-based', 'consistent'])
    .default('map-based')
    .describe(
      'HAProxy hash-type: map-based (hash mod Σweight over the weighted server map) or consistent (tree of 16 × weight points per server)',
    ),
  hashBalanceFactor: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(0)
    .describe(
      'HAProxy hash-balance-factor (percent, consistent only; 0 = off): a server may hold at most ⌈(in flight + 1) × factor / 100⌉ shared by weight',
    ),
});
/** Parsed haproxy-hash config. */
export type HaproxyHashConfig = z.output<typeof haproxyHashSchema>;

/** HAProxy's hash_sdbm over bytes. */
export function sdbm(bytes: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < bytes.length; i++) {
    h = (bytes[i]! + (h << 6) + (h << 16) - h) >>> 0;
  }
  return h;
}

/** HAProxy's full_hash (Bob Jenkins' 32-bit integer avalanche, times 3221225473). */
export function fullHash(x: number): number {
  let a = x >>> 0;
  a = (a + 0x7ed55d16 + (a << 12)) >>> 0;
  a = (a ^ 0xc761c23c ^ (a >>> 19)) >>> 0;
  a = (a + 0x165667b1 + (a << 5)) >>> 0;
  a = ((a + 0xd3a2646c) ^ (a << 9)) >>> 0;
  a = (a + 0xfd7046c5 + (a << 3)) >>> 0;
  a = (a ^ 0xb55a4f09 ^ (a >>> 16)) >>> 0;
  return Math.imul(a, 3221225473) >>> 0;
}

/** The request's hash as HAProxy computes it for `balance source` / `uri` / `hdr`. */
export function haproxyKeyHash(req: HttpRequest, on: HaproxyHashConfig['on']): number {
  switch (on) {
    case 'ip':
      return req.clientIp >>> 0;
    case 'route': {
      const q = req.route.indexOf('?');
      return sdbm(utf8(q < 0 ? req.route : req.route.slice(0, q)));
    }
    case 'user':
      return sdbm(utf8(String(req.user)));
    case 'key':
      return sdbm(utf8(String(req.key)));
    case 'session':
      return sdbm(utf8(String(req.headers.session ?? req.clientIp)));
  }
}

/** HAProxy's server map (lb_map.c) over `servers` with weights reduced by their gcd. */
export function haproxyMap(servers: readonly number[], weights: readonly number[], gcd: number) {
  const w = servers.map((i) => Math.max(1, Math.ceil(weights[i]! / gcd)));
  const tot = w.reduce((a, b) => a + b, 0);
  const score = w.map(() => 0);
  const map: number[] = [];
  for (let o = 0; o < tot; o++) {
    let best = 0;
    let max = -1;
    for (let k = 0; k < servers.length; k++) {
      score[k]! += w[k]!;
      const v = Math.trunc((score[k]! + tot) / tot);
      if (v > max) {
        max = v;
        best = k;
      }
    }
    map.push(servers[best]!);
    score[best]! -= tot;
  }
  return map;
}

function gcdOf(ws: readonly number[]): number {
  let g = 0;
  for (const w of ws) {
    let a = g;
    let b = Math.max(1, Math.round(w));
    while (b) [a, b] = [b, a % b];
    g = a;
  }
  return Math.max(1, g);
}

/**
 * HAProxy's hash balancing. map-based: server map[hash mod Σweight] (weights over their gcd,
 * only servers up). consistent (lb_chash.c): each server up owns 16 × weight points,
 * full_hash(id·4096 + j) with id its 1-based position; the key's full_hash goes to the nearer of the points
 * just after and just before it (before on a tie); with hash-balance-factor a server over its
 * share of ⌈(in flight + 1)·factor/100⌉ slots is passed over for the next point's. With one
 * server up the hash is 0, as HAProxy skips hashing. O(log n) (consistent) / O(1) (map).
 */
export function haproxyHash(config: Omit<HaproxyHashConfig, 'name'>): Balancer {
  let builtFor = Number.NaN;
  let map: number[] = [];
  let keys = new Uint32Array(0);
  let owners = new Int32Array(0);
  const rebuild = (view: BackendView) => {
    const weights = Array.from({ length: view.n }, (_, i) => view.baseWeight(i));
    const up = view.eligible;
    if (config.hashType === 'map-based') map = haproxyMap(up, weights, gcdOf(weights));
    else {
      const pts: [number, number][] = [];
      for (const i of up) {
        const nodes = 16 * Math.max(1, Math.round(weights[i]!));
        for (let j = 0; j < nodes; j++) pts.push([fullHash((i + 1) * 4096 + j), i]);
      }
      pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      keys = Uint32Array.from(pts.map((p) => p[0]));
      owners = Int32Array.from(pts.map((p) => p[1]));
    }
    builtFor = view.version;
  };
  const fits = (view: BackendView, i: number): boolean => {
    if (config.hashBalanceFactor <= 0) return true;
    const ew = (k: number) => 16 * Math.max(1, Math.round(view.baseWeight(k)));
    let tot = 0;
    let cum = 0;
    for (const k of view.eligible) {
      if (k < i) cum += ew(k);
      tot += ew(k);
    }
    const slotsTot = Math.floor(((view.totalInflight + 1) * config.hashBalanceFactor + 99) / 100);
    const per = Math.floor(slotsTot / tot);
    const rem = slotsTot % tot;
    let slots =
      ew(i) * per + Math.floor(((cum + ew(i)) * rem) / tot) - Math.floor((cum * rem) / tot);
    if (slots === 0) slots = 1;
    return view.inflight(i) < slots;
  };
  return {
    name: 'haproxy-hash',
    cost: config.hashType === 'consistent' ? 'O(log n)' : 'O(1)',
    pick(view, req) {
      const e = view.eligible;
      if (e.length === 0) return -1;
      if (builtFor !== view.version) rebuild(view);
      const h = e.length === 1 ? 0 : haproxyKeyHash(req, config.on);
      if (config.hashType === 'map-based') return map[h % map.length]!;
      // consistent: the key's hash passes through full_hash before the tree lookup (measured
      // against HAProxy 2.6.12: 200 of 200 uri keys agree with it, 140 without).
      const hc = fullHash(h);
      const len = keys.length;
      let lo = 0;
      let hi = len;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keys[mid]! < hc) lo = mid + 1;
        else hi = mid;
      }
      let k = lo === len ? 0 : lo;
      const p = k === 0 ? len - 1 : k - 1;
      if ((hc - keys[p]!) >>> 0 <= (keys[k]! - hc) >>> 0) k = p;
      for (let step = 0; step < len; step++) {
        const i = owners[k]!;
        if (view.isEligible(i) && fits(view, i)) return i;
        k = k + 1 === len ? 0 : k + 1;
      }
      return owners[k]!;
    },
  };
}
