import { describe, expect, it } from 'vitest';
import type { Behavior } from '../../../engine/index.ts';
import type { DnsAnswer, DnsQuery, Rcode } from '../../../models/dns/messages.ts';
import { Harness } from '../../helpers/client-harness.ts';

interface Resolver {
  readonly rcode: Rcode;
  readonly ttl: number;
  queries: number;
}

const resolver: Behavior<Resolver> = {
  on: {
    'dns.query': (s, q: DnsQuery, ctx) => {
      s.queries++;
      const answer: DnsAnswer = {
        type: 'dns.answer',
        tag: q.tag,
        rcode: s.rcode,
        addresses: s.rcode === 'NOERROR' ? ['web'] : [],
        ttl: s.ttl,
      };
      ctx.send(q.replyTo, answer, 20_000);
    },
  },
};

/** Requests at `times` (seconds) through the browser → OS → resolver layers. */
function run(times: number[], dns: Record<string, unknown>, r: Omit<Resolver, 'queries'>) {
  const h = new Harness(1);
  const web = h.echo('web');
  const state: Resolver = { ...r, queries: 0 };
  h.sim.spawn('dns', resolver, state);
  h.open('client', {
    target: 'web',
    arrival: { process: 'replay', rows: times.map((t, i) => [t, 'GET', '/', i, 0]) },
    dns: { resolver: 'dns', ...dns },
    connection: { tls: 'none', keepAlive: false },
  });
  h.run();
  const n = (name: string) => h.counter('client', name);
  return { n, resolver: state, web, r: h.result('client') };
}

describe('client DNS layers: browser cache → OS cache → resolver', () => {
  it('a capped browser entry expires first; the OS cache answers until the record TTL', () => {
    const out = run(
      [0, 0.5, 2, 2.5, 130],
      { browserCacheTtlCap: '1s', osCache: true },
      { rcode: 'NOERROR', ttl: 120_000_000 },
    );
    expect(out.n('dnsQueries')).toBe(2); // t=0 and t=130 (both caches expired)
    expect(out.n('dnsBrowserHits')).toBe(2); // t=0.5 and t=2.5
    expect(out.n('dnsOsHits')).toBe(1); // t=2: browser expired after 1 s, OS still fresh
    expect(out.resolver.queries).toBe(2);
    expect(out.web.requests).toBe(5);
    expect(out.r.breakdown?.dns?.mean).toBeCloseTo((2 * 0.02) / 5, 4);
  });

  it('without the OS cache, the browser cap alone decides how often the resolver is asked', () => {
    const out = run(
      [0, 0.5, 2, 2.5, 130],
      { browserCacheTtlCap: '1s' },
      { rcode: 'NOERROR', ttl: 120_000_000 },
    );
    expect(out.n('dnsQueries')).toBe(3);
    expect(out.n('dnsBrowserHits')).toBe(2);
    expect(out.n('dnsOsHits')).toBe(0);
  });

  it('with both caches off every request asks the resolver', () => {
    const out = run([0, 1, 2], { browserCache: false }, { rcode: 'NOERROR', ttl: 60_000_000 });
    expect(out.resolver.queries).toBe(3);
    expect(out.n('dnsBrowserHits') + out.n('dnsOsHits')).toBe(0);
  });

  it('negative answers are cached for negativeTtl only', () => {
    const cached = run(
      [0, 1, 2],
      { negativeTtl: '10s', osCache: true },
      { rcode: 'NXDOMAIN', ttl: 0 },
    );
    expect(cached.resolver.queries).toBe(1);
    expect(cached.r.byStatus).toEqual({ '0': 3 });
    expect(cached.r.counters.dnsFailures).toBe(3);
    const uncached = run([0, 1, 2], {}, { rcode: 'NXDOMAIN', ttl: 0 });
    expect(uncached.resolver.queries).toBe(3);
  });
});
