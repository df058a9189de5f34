import { describe, expect, it } from 'vitest';
import type { Behavior } from '../../../engine/index.ts';
import type { DnsAnswer, DnsQuery, Rcode } from '../../../models/dns/messages.ts';
import { Harness } from '../../helpers/client-harness.ts';

interface Resolver {
  rcode: Rcode;
  addresses: string[];
  ttl: number;
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
        addresses: s.addresses,
        ttl: s.ttl,
      };
      ctx.send(q.replyTo, answer, 30_000);
    },
  },
};

function run(r: Resolver, gap = 1) {
  const h = new Harness(1);
  const a = h.echo('web-a');
  const b = h.echo('web-b');
  const state = { ...r };
  h.sim.spawn('dns', resolver, state);
  h.open('client', {
    target: 'web-a',
    arrival: {
      process: 'replay',
      rows: Array.from({ length: 4 }, (_, i) => [i * gap, 'GET', '/', i, 0]),
    },
    dns: { resolver: 'dns', name: 'www' },
    connection: { tls: 'none' },
  });
  h.run();
  return { r: h.result('client'), a, b, resolver: state };
}

describe('client DNS', () => {
  it('resolves before connecting, connects to the first address and caches for the ttl', () => {
    const out = run({
      rcode: 'NOERROR',
      addresses: ['web-b', 'web-a'],
      ttl: 2_500_000,
      queries: 0,
    });
    expect(out.b.requests).toBe(4);
    expect(out.a.requests).toBe(0);
    expect(out.resolver.queries).toBe(2); // t=0 and t=3 (the answer from t=0 expired at 2.53 s)
    expect(out.r.breakdown?.dns?.p99).toBeCloseTo(0.03, 3);
    expect(out.r.byStatus).toEqual({ '200': 4 });
  });

  it('NXDOMAIN and SERVFAIL end the request with status 0 and count dnsFailures', () => {
    for (const rcode of ['NXDOMAIN', 'SERVFAIL'] as const) {
      const out = run({ rcode, addresses: [], ttl: 0, queries: 0 });
      expect(out.r.byStatus).toEqual({ '0': 4 });
      expect(out.r.counters.dnsFailures).toBe(4);
      expect(out.a.requests + out.b.requests).toBe(0);
    }
  });

  it('concurrent lookups of one name share a query', () => {
    const out = run({ rcode: 'NOERROR', addresses: ['web-a'], ttl: 0, queries: 0 }, 0);
    expect(out.resolver.queries).toBe(1);
    expect(out.a.requests).toBe(4);
  });
});
