import { describe, expect, it } from 'vitest';
import { closedClientSchema, openClientSchema } from '../../../models/client/config.ts';
import { findKind } from '../../../models/registry.ts';
import { componentSchema } from '../../../models/scenario/format.ts';
import { Harness } from '../../helpers/client-harness.ts';

const FULL = {
  target: 'edge',
  arrival: { process: 'poisson', rate: '800/s' },
  mix: [
    {
      name: 'product',
      weight: 80,
      route: '/product/{key}',
      keys: { dist: 'zipf', n: 10000, s: 1.1 },
    },
    { name: 'cart', weight: 15, method: 'POST', route: '/cart', size: '1KB', users: { n: 5000 } },
    {
      name: 'login',
      weight: 5,
      method: 'POST',
      route: '/login',
      tiers: { free: 80, pro: 20 },
      headers: { authorization: 'basic', credentialsValid: 0.9, origin: 'https://app.example' },
    },
  ],
  timeout: '2s',
  retries: {
    max: 2,
    on: ['5xx', 'timeout'],
    backoff: { kind: 'exponential', base: '50ms', cap: '2s' },
    jitter: 'decorrelated',
    budget: { ratio: 0.2, minPerSecond: 10 },
  },
  connection: {
    protocol: 'http2',
    tls: '1.2',
    resumption: true,
    keepAlive: true,
    idleTimeout: '60s',
  },
  cors: { origins: ['https://app.example'], maxAge: '600s' },
  dns: { resolver: 'resolver' },
};

describe('client config schemas', () => {
  it('parses human units into µs, bytes and per-second rates, with defaults filled in', () => {
    const c = openClientSchema.parse(FULL);
    expect(c.arrival).toEqual({ process: 'poisson', rate: 800 });
    expect(c.timeout).toBe(2_000_000);
    expect(c.mix[1]!.size).toBe(1000);
    expect(c.retries!.backoff).toEqual({ kind: 'exponential', base: 50_000, cap: 2_000_000 });
    expect(c.retries!.budget).toEqual({ ratio: 0.2, minPerSecond: 10, ttl: 10_000_000 });
    expect(c.retries!.honourRetryAfter).toBe(true);
    expect(c.cors!.maxAge).toBe(600_000_000);
    expect(c.dns!.timeout).toBe(5_000_000);
    const d = closedClientSchema.parse({ target: 'web', users: 10 });
    expect(d.timeout).toBe(30_000_000);
    expect(d.connection).toMatchObject({ protocol: 'http1.1', tls: '1.3', keepAlive: true });
    expect(d.mix).toHaveLength(1);
  });

  it('is registered and rejects unknown fields and bad units with a path', () => {
    const kind = findKind('client.open')!;
    expect(findKind('client.closed')).toBeDefined();
    const schema = componentSchema(kind);
    expect(schema.safeParse({ type: 'client.open', ...FULL }).success).toBe(true);
    const typo = schema.safeParse({ type: 'client.open', ...FULL, timout: '1s' });
    expect(typo.success).toBe(false);
    const bad = schema.safeParse({
      type: 'client.open',
      ...FULL,
      arrival: { process: 'poisson', rate: '800' },
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['arrival', 'rate']);
    expect(kind.references(openClientSchema.parse(FULL))).toEqual([
      { path: ['target'], id: 'edge', acceptsGroup: false, carriesRequests: true },
      { path: ['dns', 'resolver'], id: 'resolver', acceptsGroup: false, carriesRequests: false },
    ]);
  });

  it('same seed, same run: identical fingerprint and counters', () => {
    const once = (seed: number) => {
      const h = new Harness(seed, [{ between: ['client', 'server'], latency: '3ms', loss: 0.05 }]);
      h.echo('server', { service: 10_000, failProb: 0.2 });
      h.open('client', {
        ...FULL,
        target: 'server',
        dns: undefined,
        cors: undefined,
        stopAfter: '2s',
      });
      h.run();
      return { fp: h.sim.fingerprint(), r: h.result('client') };
    };
    const a = once(5);
    expect(once(5)).toEqual(a);
    expect(once(6).fp).not.toBe(a.fp);
  });
});
