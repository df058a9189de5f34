import { describe, expect, it } from 'vitest';
import { type Behavior, Simulation } from '../../../engine/index.ts';
import { Probe } from '../../../models/core/probe.ts';
import {
  authState,
  dnsAuthoritativeBehavior,
  dnsAuthoritativeSchema,
} from '../../../models/dns/authoritative.ts';
import type { DnsAnswer, DnsQuery } from '../../../models/dns/messages.ts';
import { dnsResolverBehavior, resolverState } from '../../../models/dns/resolver.ts';
import { dnsResolverSchema } from '../../../models/dns/resolver-config.ts';
import { createStubCache } from '../../../models/dns/stub-cache.ts';
import { Network } from '../../../models/net/network.ts';

interface Got {
  readonly answers: (DnsAnswer & { at: number })[];
}
const client: Behavior<Got> = {
  on: { 'dns.answer': (s, a: DnsAnswer, ctx) => void s.answers.push({ ...a, at: ctx.now }) },
};

function setup(resolver: Record<string, unknown> = {}, records?: unknown[]) {
  const sim = new Simulation({ seed: 5 });
  const net = new Network(sim, []);
  const authProbe = new Probe('auth', 'auth', 0);
  const auth = dnsAuthoritativeSchema.parse({
    records: records ?? [{ name: 'web', addresses: ['web1', 'web2'], ttl: '60s' }],
    soaMinimum: '30s',
    latency: '40ms',
  });
  const authRef = sim.spawn('auth', dnsAuthoritativeBehavior, authState(auth, authProbe, net));
  const probe = new Probe('resolver', 'resolver', 0);
  const config = dnsResolverSchema.parse({ authoritative: 'auth', ...resolver });
  const ref = sim.spawn('resolver', dnsResolverBehavior, resolverState(config, probe, net));
  const got: Got = { answers: [] };
  const me = sim.spawn('client', client, got);
  let tag = 0;
  const ask = (name: string, at: number) => {
    const q: DnsQuery = { type: 'dns.query', name, replyTo: me, tag: ++tag };
    sim.schedule(ref, q, at - sim.now);
  };
  const c = (n: string) => probe.counters.get(n) ?? 0;
  return { sim, ref, authRef, authProbe, got, ask, c, probe };
}

describe('dns resolver + authoritative', () => {
  it('iterates root → TLD → authoritative on a cold miss, then answers from cache', () => {
    const t = setup();
    t.ask('web', 0);
    t.ask('web', 1_000_000);
    t.sim.run({ until: 2_000_000 });
    const [a, b] = t.got.answers;
    expect(a!.rcode).toBe('NOERROR');
    expect(a!.at).toBeGreaterThanOrEqual(90_000);
    expect(b!.at - 1_000_000).toBeLessThan(1_000);
    expect(b!.ttl).toBe(59_000_000);
    expect(t.c('rootQueries')).toBe(1);
    expect(t.c('hits')).toBe(1);
  });

  it('rotates round-robin addresses and caches NXDOMAIN for the SOA minimum', () => {
    const t = setup();
    t.ask('nope', 0);
    t.ask('nope', 10_000_000);
    t.ask('nope', 40_000_000);
    t.sim.run({ until: 41_000_000 });
    expect(t.got.answers.map((a) => a.rcode)).toEqual(['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN']);
    expect(t.c('authQueries')).toBe(2);
  });

  it('an unreachable authoritative gives SERVFAIL after the query timeout, or stale after 1.8 s', () => {
    for (const serveStale of [false, true]) {
      const t = setup({ serveStale, queryTimeout: '5s' });
      t.ask('web', 0);
      t.sim.run({ until: 1_000_000 });
      t.sim.schedule(t.authRef, { type: 'fault.crash' }, 0);
      t.ask('web', 100_000_000);
      t.sim.run({ until: 120_000_000 });
      const last = t.got.answers.at(-1)!;
      if (serveStale) {
        expect(last.rcode).toBe('NOERROR');
        expect(last.ttl).toBe(30_000_000);
        expect(last.at - 100_000_000).toBeGreaterThanOrEqual(1_800_000);
        expect(last.at - 100_000_000).toBeLessThan(1_900_000);
      } else {
        expect(last.rcode).toBe('SERVFAIL');
        expect(last.at - 100_000_000).toBeGreaterThanOrEqual(5_000_000);
      }
    }
  });

  it('prefetch refreshes a popular name before expiry so it never misses again', () => {
    const t = setup({ prefetch: true });
    for (let i = 0; i < 300; i++) t.ask('web', i * 1_000_000);
    t.sim.run({ until: 301_000_000 });
    expect(t.c('misses')).toBe(1);
    expect(t.c('prefetches')).toBeGreaterThanOrEqual(4);
  });

  it('a record change reaches clients within one TTL (answers by version per window)', () => {
    const t = setup({}, [
      {
        name: 'web',
        addresses: ['old'],
        ttl: '30s',
        changes: [{ at: '100s', addresses: ['new'] }],
      },
    ]);
    for (let i = 0; i < 200; i++) t.ask('web', i * 1_000_000);
    t.sim.run({ until: 201_000_000 });
    const old = t.probe.series.extra.get('answers-v0')!;
    let lastOld = -1;
    old.forEach((n, i) => {
      if (n > 0) lastOld = i;
    });
    expect(lastOld).toBeGreaterThanOrEqual(100);
    expect(lastOld).toBeLessThan(131);
    expect(t.got.answers.at(-1)!.addresses).toEqual(['new']);
  });

  it('coalesces identical misses and refuses beyond maxConcurrent with SERVFAIL', () => {
    const t = setup({ maxConcurrent: 1 });
    for (let i = 0; i < 5; i++) t.ask('web', 0);
    t.ask('other', 0);
    t.sim.run({ until: 1_000_000 });
    expect(t.c('recursions')).toBe(1);
    expect(t.got.answers.filter((a) => a.rcode === 'SERVFAIL').length).toBe(1);
    expect(t.got.answers.filter((a) => a.rcode === 'NOERROR').length).toBe(5);
  });

  it('one name with Poisson lookups: hit ratio = λT / (1 + λT)', () => {
    const t = setup({}, [{ name: 'web', addresses: ['a'], ttl: '10s' }]);
    let now = 0;
    let u = 0.5;
    for (let i = 0; i < 20_000; i++) {
      u = (u * 9301 + 49297) % 233280;
      now += -Math.log((u + 1) / 233281) * 2_000_000; // mean 2 s: λT = 5
      t.ask('web', now);
    }
    t.sim.run({ until: now + 1_000_000 });
    const ratio = t.c('hits') / (t.c('hits') + t.c('misses'));
    expect(Math.abs(ratio - 5 / 6)).toBeLessThan(0.015);
  });
});

describe('stub cache', () => {
  it('clamps TTLs and does not cache failures by default', () => {
    const s = createStubCache({ maxTtl: 60_000_000 });
    s.store(
      'a',
      { type: 'dns.answer', tag: 1, rcode: 'NOERROR', addresses: ['x'], ttl: 300_000_000 },
      0,
    );
    s.store(
      'b',
      { type: 'dns.answer', tag: 2, rcode: 'NXDOMAIN', addresses: [], ttl: 300_000_000 },
      0,
    );
    expect(s.lookup('a', 59_000_000)?.ttl).toBe(1_000_000);
    expect(s.lookup('a', 60_000_000)).toBeUndefined();
    expect(s.lookup('b', 1)).toBeUndefined();
    expect(s.counters.hits).toBe(1);
  });
});
