// TCP retransmission (issue 18): over a lossy link a message that is lost is resent after the
// retransmission timeout, doubling, so loss shows as delay and a request still ends; DNS over
// UDP and handshake packets (which run their own resend schedule) are simply lost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Behavior, Simulation } from '../../../engine/index.ts';
import {
  linkSchema,
  Network,
  settledRto,
  TCP_RETRANSMISSION,
} from '../../../models/net/network.ts';
import { runScenario } from '../../../models/scenario/build.ts';
import { loadScenarioText } from '../../../models/scenario/load.ts';

interface Go {
  readonly type: 'go';
  readonly n: number;
  readonly datagram: boolean;
}
interface Sender {
  readonly net: { current?: Network };
  readonly delays: number[];
}
const sender: Behavior<Sender> = {
  on: {
    go: (s, msg: Go, ctx) => {
      for (let i = 0; i < msg.n; i++)
        s.delays.push(s.net.current!.delay(ctx, ctx.lookup('b'), 0, msg.datagram));
    },
  },
};

function sendMany(loss: number, n: number, datagram: boolean, latency = '10ms') {
  const sim = new Simulation({ seed: 11 });
  const holder: { current?: Network } = {};
  const delays: number[] = [];
  const a = sim.spawn('a', sender, { net: holder, delays });
  sim.spawn('b', { on: {} } as Behavior<object>, {});
  const network = new Network(sim, [linkSchema.parse({ between: ['a', 'b'], latency, loss })]);
  holder.current = network;
  const go: Go = { type: 'go', n, datagram };
  sim.schedule(a, go, 0);
  sim.run({ until: 1 });
  return { delays, tcp: network.tcp };
}

describe('TCP retransmission', () => {
  it('the mean number of transmissions is 1/(1 − p) (geometric), and nothing is lost', () => {
    for (const p of [0.02, 0.1, 0.3]) {
      const n = 40_000;
      const { delays, tcp } = sendMany(p, n, false);
      expect(delays.every((d) => d >= 0)).toBe(true);
      expect(tcp.delivered).toBe(n);
      const mean = (tcp.delivered + tcp.retransmissions) / tcp.delivered;
      const expected = 1 / (1 - p);
      // standard error of a geometric mean: sqrt(p)/(1 − p)/sqrt(n)
      const se = Math.sqrt(p) / (1 - p) / Math.sqrt(n);
      expect(Math.abs(mean - expected)).toBeLessThan(4 * se);
    }
  });

  it('each loss costs the RTO, doubling: delays are latency + RTO × (2^k − 1)', () => {
    const { delays } = sendMany(0.5, 2000, false, '10ms');
    const rto = TCP_RETRANSMISSION.rtoMin; // a fixed 20 ms round trip settles below the floor
    // below the 120 s ceiling, which nine losses in a row would reach
    const seen = new Set(
      delays.filter((d) => d < 10_000 + 511 * rto).map((d) => Math.round((d - 10_000) / rto)),
    );
    expect([...seen].every((k) => Number.isInteger(Math.log2(k + 1)))).toBe(true);
    expect(seen.has(0) && seen.has(1) && seen.has(3) && seen.has(7)).toBe(true);
  });

  it('a settled RTO follows RFC 6298 with Linux’s 200 ms floor', () => {
    const fixed = { sample: () => 0, mean: 150_000, variance: 0, name: 'x' };
    expect(settledRto(fixed)).toBe(300_000);
    const jittery = { sample: () => 0, mean: 50_000, variance: 20_000 ** 2, name: 'y' };
    expect(settledRto(jittery)).toBeCloseTo(100_000 + 4 * Math.sqrt(2) * 20_000, 6);
    expect(settledRto({ ...fixed, mean: 1000 })).toBe(200_000);
  });

  it('datagrams are lost at the link’s rate, and TCP gives up only at certain loss', () => {
    const udp = sendMany(0.1, 20_000, true);
    const lost = udp.delays.filter((d) => d < 0).length / 20_000;
    expect(Math.abs(lost - 0.1)).toBeLessThan(0.01);
    const dead = sendMany(1, 10, false);
    expect(dead.delays.every((d) => d < 0)).toBe(true);
    expect(dead.tcp.abandoned).toBe(10);
  });
});

describe('a lossy link in a scenario', () => {
  const scenario = (loss: number) => ({
    version: 1,
    name: 'lossy',
    seed: 5,
    run: { duration: '20s' },
    components: {
      users: {
        type: 'client.open',
        target: 'app',
        arrival: { process: 'poisson', rate: '50/s' },
        mix: [{ name: 'get', weight: 1, method: 'GET', route: '/x' }],
        connection: { protocol: 'http1.1', tls: 'none' },
      },
      app: {
        type: 'app-server',
        workers: 8,
        routes: [{ method: 'GET', route: '/x', steps: [{ cpu: '2ms' }] }],
      },
    },
    links: [{ between: ['users', 'app'], latency: '20ms', loss }],
  });
  const run = (loss: number) => {
    const loaded = loadScenarioText(JSON.stringify(scenario(loss)));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    return runScenario(loaded.scenario).components.users!;
  };

  it('2% loss: every request ends with a 200, and the loss shows in the tail', () => {
    const clean = run(0);
    const lossy = run(0.02);
    const offered = Object.values(lossy.byStatus).reduce((a, b) => a + b, 0);
    expect(offered).toBeGreaterThan(900);
    // only the last few are still in flight at the end: none vanished on the link
    expect(lossy.arrivals - offered).toBeLessThan(10);
    expect(lossy.byStatus['200']).toBe(offered);
    expect(clean.latency.p99).toBeLessThan(0.1);
    expect(lossy.latency.p99).toBeGreaterThan(0.2); // ≈ 4% of requests lose one of two messages
  });
});

describe('property: over any loss below 100% every request ends', () => {
  it('answered or timed out, never lost silently', () => {
    fc.assert(
      fc.property(
        fc.record({
          loss: fc.double({ min: 0, max: 0.6, noNaN: true }),
          latencyMs: fc.integer({ min: 1, max: 80 }),
          timeoutS: fc.integer({ min: 1, max: 5 }),
          http2: fc.boolean(),
          seed: fc.integer({ min: 1, max: 1_000_000 }),
        }),
        (c) => {
          const raw = {
            version: 1,
            name: 'lossy-property',
            seed: c.seed,
            run: { duration: '2000s' },
            components: {
              users: {
                type: 'client.open',
                target: 'app',
                arrival: { process: 'poisson', rate: '40/s' },
                stopAfter: '3s',
                timeout: `${c.timeoutS}s`,
                mix: [{ name: 'get', weight: 1, method: 'GET', route: '/x' }],
                connection: { protocol: c.http2 ? 'http2' : 'http1.1', tls: '1.3' },
              },
              app: {
                type: 'app-server',
                workers: 4,
                routes: [{ method: 'GET', route: '/x', steps: [{ cpu: '2ms' }] }],
              },
            },
            links: [{ between: ['users', 'app'], latency: `${c.latencyMs}ms`, loss: c.loss }],
          };
          const loaded = loadScenarioText(JSON.stringify(raw));
          if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
          const users = runScenario(loaded.scenario).components.users!;
          const ended = Object.values(users.byStatus).reduce((a, b) => a + b, 0);
          expect(ended).toBe(users.arrivals);
          for (const status of Object.keys(users.byStatus)) expect(['0', '200']).toContain(status);
        },
      ),
      { numRuns: 25, seed: 18 },
    );
  });
});
