import { describe, expect, it } from 'vitest';
import type { Behavior } from '../../../engine/index.ts';
import { type HttpRequestMessage, reply, response } from '../../../models/http/messages.ts';
import { Harness } from '../../helpers/client-harness.ts';

interface Seen {
  readonly keys: { at: number; key: number; client: string }[];
}

const recorder: Behavior<Seen> = {
  on: {
    'http.request': (s, m: HttpRequestMessage, ctx) => {
      s.keys.push({ at: ctx.now, key: m.req.key, client: m.req.client });
      ctx.send(m.replyTo, reply(m.req, m.tag, response(200, 'web', 'ok')));
    },
  },
};

function run(keys: Record<string, unknown>, clients = ['a'], seconds = 20) {
  const h = new Harness(9);
  const seen: Seen = { keys: [] };
  h.sim.spawn('web', recorder, seen);
  for (const id of clients) {
    h.open(id, {
      target: 'web',
      arrival: { process: 'constant', rate: '500/s' },
      mix: [{ name: 'item', route: '/item/{key}', keys: { dist: 'zipf', ...keys } }],
      connection: { tls: 'none' },
      stopAfter: `${seconds}s`,
    });
  }
  h.run();
  return seen.keys;
}

function mostFrequent(keys: number[]): number {
  const counts = new Map<number, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  let best = -1;
  let bestN = 0;
  for (const [k, n] of counts) {
    if (n > bestN) [best, bestN] = [k, n];
  }
  return best;
}

describe('client key workloads through KeyGenerator', () => {
  it('drift moves the hot set every period', () => {
    const seen = run({ n: 1000, s: 1.2, drift: { period: '10s', shift: 100 } });
    const first = seen.filter((k) => k.at < 10e6).map((k) => k.key);
    const second = seen.filter((k) => k.at >= 10e6).map((k) => k.key);
    const hot1 = mostFrequent(first);
    const hot2 = mostFrequent(second);
    expect(hot1).not.toBe(hot2);
    // The old hot key is rare after the shift (its rank moved 100 places down).
    const share = second.filter((k) => k === hot1).length / second.length;
    expect(share).toBeLessThan(0.01);
    expect(first.filter((k) => k === hot1).length / first.length).toBeGreaterThan(0.1);
    for (const k of [...first, ...second]) expect(k >= 1 && k <= 1000).toBe(true);
  });

  it('without drift the hot key stays put', () => {
    const seen = run({ n: 1000, s: 1.2 });
    const first = mostFrequent(seen.filter((k) => k.at < 10e6).map((k) => k.key));
    const second = mostFrequent(seen.filter((k) => k.at >= 10e6).map((k) => k.key));
    expect(first).toBe(second);
  });

  it('one-hit wonders: the given share asks for keys above n, each once, per client disjoint', () => {
    const seen = run({ n: 1000, s: 0.9, oneHitWonders: 0.3 }, ['a', 'b'], 10);
    const wonders = seen.filter((k) => k.key > 1000);
    const share = wonders.length / seen.length;
    expect(share).toBeGreaterThan(0.27);
    expect(share).toBeLessThan(0.33);
    expect(new Set(wonders.map((k) => k.key)).size).toBe(wonders.length);
    expect(wonders.some((k) => k.client === 'a') && wonders.some((k) => k.client === 'b')).toBe(
      true,
    );
  });
});
