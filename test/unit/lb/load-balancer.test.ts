// The load-balancer component driven by test actors: forwarding, retries, limits, health, L4.
import { describe, expect, it } from 'vitest';
import { loadBalancerSchema } from '../../../models/lb/config.ts';
import { scenarioSchema } from '../../../models/scenario/format.ts';
import { lbBench } from '../../helpers/lb-harness.ts';

const base = { n: 4, ratePerServer: 100, meanService: 2000, until: 20e6 };
const counter = (b: ReturnType<typeof lbBench>, name: string) =>
  b.lb().probe.counters.get(name) ?? 0;
const status = (b: ReturnType<typeof lbBench>, s: number) => b.source.statuses.get(s) ?? 0;
const crash = (b: ReturnType<typeof lbBench>, i: number, at: number, back?: number) => {
  const ref = b.sim.find(`app[${i}]`)!;
  b.sim.schedule(ref, { type: 'fault.crash' }, at);
  if (back !== undefined) b.sim.schedule(ref, { type: 'fault.restart' }, back);
};

describe('L7 forwarding', () => {
  it('every request gets exactly one answer and the balancer ends empty', () => {
    const b = lbBench({ ...base, lb: { algorithm: 'least-connections' } });
    b.sim.run({ until: 25e6 });
    const lb = b.lb();
    expect(b.source.sent.size).toBe(0);
    expect(lb.held).toBe(0);
    expect(lb.attempts.size).toBe(0);
    expect(lb.set.totalInflight).toBe(0);
    const served = b.servers.reduce((a, s) => a + s.served, 0);
    expect(status(b, 200)).toBe(served);
    expect(lb.probe.arrivals).toBe(served);
  });

  it('retries a refused request on another backend (counted) and marks the backend down', () => {
    const b = lbBench({ ...base, lb: { algorithm: 'round-robin' } });
    crash(b, 1, 5e6);
    b.sim.run({ until: 25e6 });
    expect(counter(b, 'retries')).toBeGreaterThan(0);
    expect(status(b, 502)).toBe(0);
    expect(counter(b, 'passive_marks')).toBeGreaterThan(1);
    expect(counter(b, 'detections')).toBeGreaterThan(0);
    // marked down for fail_timeout (10 s), then probed again by one request: few retries overall
    expect(counter(b, 'retries')).toBeLessThan(10);
  });

  it('does not retry POST after a timeout; answers 504', () => {
    const b = lbBench({ ...base, until: 3e6, lb: { timeout: '1ms', passive: { maxFails: 0 } } });
    b.sim.run({ until: 10e6 });
    expect(status(b, 504)).toBeGreaterThan(0);
    expect(counter(b, 'upstream_timeouts')).toBeGreaterThan(0);
    const c = lbBench({
      ...base,
      until: 3e6,
      lb: { timeout: '1ms', retry: { on: ['error'] }, passive: { maxFails: 0 } },
    });
    c.sim.run({ until: 10e6 });
    expect(counter(c, 'retries')).toBe(0);
  });

  it('with every backend down: NGINX answers 502, Envoy 503', () => {
    for (const [errors, code] of [
      ['nginx', 502],
      ['envoy', 503],
    ] as const) {
      const b = lbBench({ ...base, lb: { errors } });
      for (let i = 0; i < 4; i++) crash(b, i, 1e6);
      b.sim.run({ until: 25e6 });
      expect(status(b, code)).toBeGreaterThan(100);
    }
  });

  it('backend maxconn: immediate 503 without a queue; queued then served with one', () => {
    const rej = lbBench({
      ...base,
      ratePerServer: 400,
      lb: { backendMaxconn: 1, timeoutQueue: '0ms' },
    });
    rej.sim.run({ until: 25e6 });
    expect(status(rej, 503)).toBeGreaterThan(0);
    expect(counter(rej, 'queue_rejected')).toBe(status(rej, 503));
    const q = lbBench({
      ...base,
      ratePerServer: 400,
      lb: { backendMaxconn: 1, timeoutQueue: '10s' },
    });
    q.sim.run({ until: 25e6 });
    expect(status(q, 503)).toBe(0);
    expect(q.lb().probe.queue.max).toBeGreaterThan(0);
  });

  it('balancer maxconn rejects with 503', () => {
    const b = lbBench({ ...base, ratePerServer: 450, lb: { maxconn: 2 } });
    b.sim.run({ until: 25e6 });
    expect(counter(b, 'maxconn_rejected')).toBeGreaterThan(0);
    expect(status(b, 503)).toBe(counter(b, 'maxconn_rejected'));
  });

  it('backup backends take traffic only when every primary is down', () => {
    const b = lbBench({
      ...base,
      lb: { backends: [{ id: 'app[0]' }, { id: 'app[1]' }, { id: 'app[2]', backup: true }] },
    });
    b.sim.run({ until: 8e6 });
    expect(b.servers[2]!.served).toBe(0);
    crash(b, 0, 0);
    crash(b, 1, 0);
    b.sim.run({ until: 25e6 });
    expect(b.servers[2]!.served).toBeGreaterThan(100);
  });
});

describe('health checks', () => {
  it('active checks detect a silent crash after `fall` failed checks and restore after `rise`', () => {
    const b = lbBench({
      ...base,
      until: 60e6,
      lb: {
        activeCheck: { interval: '1s', timeout: '500ms', fall: 3, rise: 2 },
        passive: { maxFails: 0 },
        timeout: '1s',
      },
    });
    b.servers[2]!.crashMode = 'blackhole';
    crash(b, 2, 10e6, 30e6);
    b.sim.run({ until: 20e6 });
    expect(b.lb().set.checkUp[2]).toBe(0);
    const detect = counter(b, 'detect_us') / counter(b, 'detections');
    expect(detect).toBeGreaterThan(1.5e6);
    expect(detect).toBeLessThan(3.5e6);
    expect(counter(b, 'lost_before_detect')).toBeGreaterThan(0);
    b.sim.run({ until: 40e6 });
    expect(b.lb().set.checkUp[2]).toBe(1);
    expect(counter(b, 'checks')).toBeGreaterThan(100);
  });

  it('outlier detection ejects after consecutive 5xx, at most max_ejection_percent', () => {
    const b = lbBench({
      ...base,
      lb: {
        passive: { maxFails: 0 },
        outlier: { consecutive5xx: 5, maxEjectionPercent: 30 },
        retry: { on: [] },
      },
    });
    crash(b, 0, 2e6);
    crash(b, 1, 2e6);
    b.sim.run({ until: 10e6 });
    expect(counter(b, 'ejections')).toBe(2);
    expect(b.lb().set.ejected[0]! + b.lb().set.ejected[1]!).toBe(2);
    const c = lbBench({
      ...base,
      lb: { passive: { maxFails: 0 }, outlier: {}, retry: { on: [] } },
    });
    crash(c, 0, 2e6);
    crash(c, 1, 2e6);
    c.sim.run({ until: 10e6 });
    expect(counter(c, 'ejections')).toBe(1);
  });

  it('panic threshold: below 50% healthy, traffic spreads over all backends again', () => {
    const b = lbBench({
      ...base,
      lb: { panicThreshold: 50, passive: { maxFails: 1, failTimeout: '60s' }, retry: { on: [] } },
    });
    for (let i = 0; i < 3; i++) crash(b, i, 2e6);
    b.sim.run({ until: 12e6 });
    expect(b.lb().set.panic).toBe(true);
    expect(b.lb().set.eligible.length).toBe(4);
  });

  it('slow start ramps a recovered backend from min weight to full', () => {
    const b = lbBench({
      ...base,
      lb: { algorithm: 'smooth-weighted-round-robin', slowStart: { window: '10s' } },
    });
    crash(b, 0, 1e6, 5e6);
    b.sim.run({ until: 17e6 });
    const f = b.lb().set.factor[0]!;
    expect(f).toBeGreaterThan(0.1);
    expect(f).toBeLessThan(1);
    b.sim.run({ until: 40e6 });
    expect(b.lb().set.factor[0]).toBe(1);
  });
});

describe('L4 and stickiness', () => {
  it('L4 pins a client connection (session) to one backend and never retries', () => {
    const b = lbBench({ ...base, sessions: 3, lb: { layer: 'L4', algorithm: 'round-robin' } });
    b.sim.run({ until: 25e6 });
    expect(b.lb().conns.size).toBe(3);
    expect(b.servers.filter((s) => s.served > 0).length).toBeLessThanOrEqual(3);
    const c = lbBench({ ...base, sessions: 3, lb: { layer: 'L4' } });
    crash(c, 0, 2e6);
    c.sim.run({ until: 25e6 });
    expect(counter(c, 'retries')).toBe(0);
  });

  it('sticky sessions bind a session to one backend and rebind when it goes down', () => {
    const b = lbBench({
      ...base,
      sessions: 2,
      lb: { algorithm: { name: 'sticky', by: 'session', ttl: '1h' } },
    });
    b.sim.run({ until: 25e6 });
    expect(b.servers.filter((s) => s.served > 0).length).toBeLessThanOrEqual(2);
    const busy = b.servers.findIndex((s) => s.served > 0);
    const c = lbBench({
      ...base,
      sessions: 2,
      lb: { algorithm: { name: 'sticky', by: 'session', ttl: '1h' } },
    });
    crash(c, busy, 10e6);
    c.sim.run({ until: 25e6 });
    expect(status(c, 200)).toBeGreaterThan(0.95 * c.source.latency.count);
    expect(c.servers.filter((s) => s.served > 0).length).toBeGreaterThan(1);
  });
});

describe('autoscaling', () => {
  it('adds replicas when utilisation exceeds the target, after the provisioning delay', () => {
    const b = lbBench({
      ...base,
      n: 8,
      ratePerServer: 150,
      until: 120e6,
      lb: {
        algorithm: 'least-connections',
        autoscale: {
          target: 0.5,
          min: 2,
          interval: '5s',
          cooldown: '10s',
          provisioningDelay: '10s',
        },
      },
    });
    b.sim.run({ until: 4e6 });
    expect(b.lb().set.eligible.length).toBe(2);
    b.sim.run({ until: 120e6 });
    const active = b.lb().set.active.reduce((a, x) => a + x, 0);
    expect(active).toBeGreaterThanOrEqual(5);
    expect(counter(b, 'replicas')).toBe(active);
    expect(counter(b, 'scale_up')).toBeGreaterThan(0);
  });
});

describe('scenario format', () => {
  it('accepts a load-balancer component with human units and rejects unknown fields', () => {
    const schema = scenarioSchema();
    const ok = schema.safeParse({
      version: 1,
      name: 't',
      run: { duration: '10s' },
      components: {
        lb: {
          type: 'load-balancer',
          backends: 'app',
          algorithm: { name: 'peak-ewma', decay: '5s' },
        },
      },
    });
    expect(ok.success).toBe(true);
    const bad = schema.safeParse({
      version: 1,
      name: 't',
      run: { duration: '10s' },
      components: { lb: { type: 'load-balancer', backends: 'app', algoritm: 'random' } },
    });
    expect(bad.success).toBe(false);
  });

  it('fills product defaults in parsed units (fractions, µs)', () => {
    const c = loadBalancerSchema.parse({
      backends: 'app',
      outlier: {},
      slowStart: { window: '1s' },
      activeCheck: {},
    });
    expect(c.algorithm).toEqual({ name: 'round-robin' });
    expect(c.outlier?.maxEjectionPercent).toBe(0.1);
    expect(c.outlier?.baseEjectionTime).toBe(30_000_000);
    expect(c.slowStart?.minWeightPercent).toBe(0.1);
    expect(c.activeCheck).toMatchObject({
      interval: 2_000_000,
      rise: 2,
      fall: 3,
      route: '/healthz',
    });
    expect(c.timeout).toBe(60_000_000);
  });
});
