// The job queue behind `enqueue` steps (issue 19: a 202 was returned but nothing consumed the
// queued work). Poisson enqueueing into one worker with exponential service is M/M/1 in job
// latency; retries and dead letters follow the failure probability; every enqueued job ends
// exactly once (done or dead-lettered) or is still inside at the end, across worker crashes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../models/scenario/build.ts';
import { loadScenarioText } from '../../../models/scenario/load.ts';

interface Options {
  readonly rate: number;
  readonly jobs: Record<string, unknown>;
  readonly duration?: string;
  readonly stopAfter?: string;
  readonly timeline?: unknown[];
  readonly seed?: number;
}

function run(o: Options) {
  const scenario = {
    version: 1,
    name: 'job-queue',
    seed: o.seed ?? 4,
    run: { duration: o.duration ?? '200s' },
    components: {
      users: {
        type: 'client.open',
        target: 'app',
        arrival: { process: 'poisson', rate: `${o.rate}/s` },
        ...(o.stopAfter === undefined ? {} : { stopAfter: o.stopAfter }),
        mix: [{ name: 'job', weight: 1, method: 'POST', route: '/jobs' }],
        connection: { tls: 'none' },
      },
      app: {
        type: 'app-server',
        workers: 16,
        routes: [{ method: 'POST', route: '/jobs', steps: [{ enqueue: 'jobs' }] }],
      },
      jobs: { type: 'job-queue', ...o.jobs },
    },
    links: [],
    timeline: o.timeline ?? [],
  };
  const loaded = loadScenarioText(JSON.stringify(scenario));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).components;
}

describe('job-queue', () => {
  it('enqueued work is consumed: the route answers 202 and the workers do the job', () => {
    const c = run({ rate: 10, jobs: { concurrency: 2, service: '50ms' }, duration: '20s' });
    expect(Object.keys(c.users!.byStatus)).toEqual(['202']);
    expect(c.jobs!.counters.done).toBeGreaterThan(150);
    expect(c.jobs!.latency.mean).toBeCloseTo(0.05, 2);
  });

  it('one worker, Poisson jobs, exponential service: mean job latency is 1/(μ − λ) (M/M/1)', () => {
    const c = run({
      rate: 50,
      jobs: { concurrency: 1, service: { dist: 'exponential', mean: '10ms' } },
      duration: '1000s',
    });
    const theory = 1 / (100 - 50);
    expect(Math.abs(c.jobs!.latency.mean - theory) / theory).toBeLessThan(0.05);
  });

  it('failures are retried with doubling backoff and dead-lettered after maxAttempts', () => {
    const p = 0.3;
    const c = run({
      rate: 40,
      jobs: { concurrency: 8, service: '10ms', failureProbability: p, maxAttempts: 3 },
      stopAfter: '300s',
      duration: '400s',
    });
    const counters = c.jobs!.counters;
    const enqueued = counters.enqueued!;
    expect(counters.done! + counters.deadLettered!).toBe(enqueued);
    const dead = counters.deadLettered! / enqueued;
    expect(Math.abs(dead - p ** 3)).toBeLessThan(4 * Math.sqrt((p ** 3 * (1 - p ** 3)) / enqueued));
    const retries = counters.retried! / enqueued;
    expect(Math.abs(retries - (p + p * p))).toBeLessThan(0.01);
    // a job that failed twice waited 1 s + 2 s of backoff
    expect(c.jobs!.latency.max).toBeGreaterThan(3);
  });

  it('a worker crash: the broker keeps taking jobs, the queue grows, running jobs run again', () => {
    const c = run({
      rate: 20,
      jobs: { concurrency: 4, service: '100ms' },
      duration: '60s',
      timeline: [{ action: 'crash', at: '20s', target: 'jobs', for: '5s' }],
    });
    expect(c.jobs!.queue.max).toBeGreaterThan(80); // 5 s × 20/s
    expect(c.jobs!.counters.redelivered).toBeGreaterThan(0);
    expect(c.jobs!.counters.rejected ?? 0).toBe(0);
  });

  it('property: every enqueued job ends exactly once, across crashes and retries', () => {
    fc.assert(
      fc.property(
        fc.record({
          concurrency: fc.integer({ min: 1, max: 6 }),
          serviceMs: fc.integer({ min: 1, max: 300 }),
          p: fc.double({ min: 0, max: 0.9, noNaN: true }),
          maxAttempts: fc.integer({ min: 1, max: 5 }),
          maxLength: fc.integer({ min: 1, max: 200 }),
          crashAt: fc.integer({ min: 1, max: 9 }),
          seed: fc.integer({ min: 1, max: 100_000 }),
        }),
        (g) => {
          const c = run({
            rate: 30,
            seed: g.seed,
            stopAfter: '10s',
            duration: '3000s',
            jobs: {
              concurrency: g.concurrency,
              service: `${g.serviceMs}ms`,
              failureProbability: g.p,
              maxAttempts: g.maxAttempts,
              backoff: '100ms',
              maxLength: g.maxLength,
            },
            timeline: [{ action: 'crash', at: `${g.crashAt}s`, target: 'jobs', for: '2s' }],
          });
          const k = c.jobs!.counters;
          const offered = c.users!.arrivals;
          // every 202 is a job enqueued or refused by a full broker
          expect((k.enqueued ?? 0) + (k.rejected ?? 0)).toBe(offered);
          expect((k.done ?? 0) + (k.deadLettered ?? 0)).toBe(k.enqueued ?? 0);
          expect(c.jobs!.completions).toBe(c.jobs!.arrivals);
        },
      ),
      { numRuns: 30, seed: 19 },
    );
  });
});
