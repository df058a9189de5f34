// HAProxy's `balance source | uri` with `hash-type map-based | consistent` and
// `hash-balance-factor`, as the conformance harness compares them (docs/conformance.md).
import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import { utf8Bytes as utf8 } from '../../../models/core/utf8.ts';
import { fullHash, haproxyMap, sdbm } from '../../../models/lb/algorithms/haproxy-hash.ts';
import { balancerFor } from '../../../models/lb/algorithms/index.ts';
import { BackendSet } from '../../../models/lb/backend-set.ts';
import { lbRequest } from '../../helpers/lb-request.ts';

function makeSet(weights: readonly number[]): BackendSet {
  const set = new BackendSet(
    weights.map((w, i) => ({ id: `app${i}`, weight: w, backup: false, maxconn: 0 })),
  );
  set.refresh();
  return set;
}

describe('HAProxy hash functions', () => {
  it('sdbm and full_hash give HAProxy’s values (computed with its C formulas)', () => {
    expect(sdbm(utf8('/uc/42/0'))).toBe(1771972945);
    expect(fullHash(4096)).toBe(1237450891);
    expect(fullHash(sdbm(utf8('/uc/42/0')))).toBe(756680029);
  });

  it('the map of weights 2:4:2 is the map of 1:2:1 (weights over their gcd)', () => {
    expect(haproxyMap([0, 1, 2], [1, 2, 1], 1)).toEqual(haproxyMap([0, 1, 2], [2, 4, 2], 2));
    expect(haproxyMap([0, 1, 2], [1, 2, 1], 1)).toHaveLength(4);
  });
});

describe('haproxy-hash', () => {
  const rng = createStream(1, 'lb', 'test');

  it('map-based source: the IPv4 address as a number, mod Σweight over the map', () => {
    const set = makeSet([1, 2, 1]);
    const map = haproxyMap([0, 1, 2], [1, 2, 1], 1);
    const b = balancerFor({ name: 'haproxy-hash', on: 'ip', hashType: 'map-based' });
    for (const ip of [0x0a000301, 0x0a000401, 0x7f000001]) {
      expect(b.pick(set, lbRequest(1, { clientIp: ip }), rng)).toBe(map[ip % 4]);
    }
  });

  it('consistent uri: the nearer of the points around full_hash(sdbm(path))', () => {
    const set = makeSet([1, 2, 1]);
    const pts: [number, number][] = [];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 16 * [1, 2, 1][i]!; j++) pts.push([fullHash((i + 1) * 4096 + j), i]);
    }
    pts.sort((a, b) => a[0] - b[0]);
    const b = balancerFor({ name: 'haproxy-hash', on: 'route', hashType: 'consistent' });
    for (let n = 0; n < 200; n++) {
      const route = `/uc/${n * 3331}/0`;
      const h = fullHash(sdbm(utf8(route)));
      let k = pts.findIndex((p) => p[0] >= h);
      if (k < 0) k = 0;
      const p = k === 0 ? pts.length - 1 : k - 1;
      const want = (h - pts[p]![0]) >>> 0 <= (pts[k]![0] - h) >>> 0 ? pts[p]![1] : pts[k]![1];
      expect(b.pick(set, lbRequest(n, { route }), rng)).toBe(want);
    }
  });

  it('hash-balance-factor 150: a server at its share of (in flight + 1) × 1.5 is passed over', () => {
    const set = makeSet([1, 1, 1]);
    const plain = balancerFor({ name: 'haproxy-hash', on: 'route', hashType: 'consistent' });
    const bounded = balancerFor({
      name: 'haproxy-hash',
      on: 'route',
      hashType: 'consistent',
      hashBalanceFactor: 150,
    });
    const req = lbRequest(1, { route: '/hot' });
    const home = plain.pick(set, req, rng);
    // nothing in flight: ⌈1 × 150 / 100⌉ = 2 slots over 48 weight units; a server with 0
    // slots gets 1, so the home server takes it
    expect(bounded.pick(set, req, rng)).toBe(home);
    // 1 in flight on it: ⌈2 × 1.5⌉ = 3 slots, 1 per server ⇒ full, the next point's server
    set.open(home);
    expect(plain.pick(set, req, rng)).toBe(home);
    expect(bounded.pick(set, req, rng)).not.toBe(home);
  });
});
