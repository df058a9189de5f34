// NGINX's ip_hash and `hash … consistent` as the conformance harness compares them.
import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import { balancerFor } from '../../../models/lb/algorithms/index.ts';
import { buildNginxRing } from '../../../models/lb/algorithms/ring.ts';
import { BackendSet } from '../../../models/lb/backend-set.ts';
import { crc32 } from '../../../models/lb/crc32.ts';
import { lbRequest } from '../../helpers/lb-request.ts';

function makeSet(weights: readonly number[], addresses?: readonly string[]): BackendSet {
  const set = new BackendSet(
    weights.map((w, i) => ({
      id: `app${i}`,
      weight: w,
      backup: false,
      maxconn: 0,
      ...(addresses === undefined ? {} : { address: addresses[i]! }),
    })),
  );
  set.refresh();
  return set;
}

/** clientIp of the IPv4 address a.b.c.d. */
const ip = (a: number, b: number, c: number, d: number) =>
  ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

describe('ip_hash (NGINX: 89, ×113 + octet mod 6271 over the first three octets)', () => {
  it('10.0.3.x goes to backend 0 of three: hash 3796, 2520, 2568; 2568 mod 3 = 0', () => {
    const b = balancerFor('ip-hash');
    const set = makeSet([1, 1, 1]);
    const rng = createStream(1, 'lb', 'test');
    for (const d of [1, 77, 254]) {
      expect(b.pick(set, lbRequest(d, { clientIp: ip(10, 0, 3, d) }), rng)).toBe(0);
    }
    // 10.0.4.1: (2520·113 + 4) mod 6271 = 2569 → 2569 mod 3 = 1; weights 1:2 → w = 2569 mod 3
    expect(b.pick(set, lbRequest(1, { clientIp: ip(10, 0, 4, 1) }), rng)).toBe(1);
  });

  it('weights are ranges in configured order; a down backend rehashes from the hash', () => {
    const b = balancerFor('ip-hash');
    const rng = createStream(1, 'lb', 'test');
    // 2569 mod 4 = 1: with weights 1:3 backend 1 (range 1..3)
    expect(b.pick(makeSet([1, 3]), lbRequest(1, { clientIp: ip(10, 0, 4, 1) }), rng)).toBe(1);
    const set = makeSet([1, 1, 1]);
    set.checkUp[1] = 0;
    set.refresh();
    // rehash from 2569 over 10, 0, 4: 1841, 1090, 4025; 4025 mod 3 = 2
    expect(b.pick(set, lbRequest(1, { clientIp: ip(10, 0, 4, 1) }), rng)).toBe(2);
  });
});

describe('hash $key consistent (NGINX: crc32 ring over host:port, 160 points per weight)', () => {
  it('crc32 is zlib’s', () => {
    expect(crc32('/h/17')).toBe(919614276);
  });

  it('points are crc32(host \\0 port prev) chained over little-endian prev', () => {
    const ring = buildNginxRing(makeSet([1], ['127.0.0.1:8080']), 3);
    // zlib.crc32(b"127.0.0.1\0" b"8080" + pack("<I", prev)) chained from prev = 0
    expect([...ring.points]).toEqual([1841993031, 2462559737, 3720262072]);
  });

  it('a key goes to the owner of the first point at or after crc32(key)', () => {
    const addresses = ['127.0.0.1:8080', '127.0.0.1:8081', '127.0.0.1:8082'];
    const set = makeSet([1, 1, 1], addresses);
    const ring = buildNginxRing(set, 160);
    expect(ring.points.length).toBe(480);
    const b = balancerFor({ name: 'consistent-hash', on: 'route', ring: 'nginx' });
    const rng = createStream(1, 'lb', 'test');
    for (const route of ['/h/1', '/h/17', '/x']) {
      const h = crc32(route);
      let k = ring.points.findIndex((p) => p >= h);
      if (k < 0) k = 0;
      expect(b.pick(set, lbRequest(1, { route }), rng)).toBe(ring.owners[k]);
    }
  });
});

describe('utf8 (the models’ own encoder)', () => {
  it('encodes as TextEncoder does', async () => {
    const { utf8Bytes } = await import('../../../models/core/utf8.ts');
    for (const s of ['/h/1', 'é', '€/x', '😀?q=1']) {
      expect([...utf8Bytes(s)]).toEqual([...new TextEncoder().encode(s)]);
    }
  });
});
