import { describe, expect, it } from 'vitest';
import { createStream } from '../../../engine/index.ts';
import { type Arrival, runLimiter } from './harness.ts';

const S = 1_000_000;

/**
 * The per-algorithm overrides for scenarios/rate-limit-compare.json: every algorithm at a
 * nominal 10 req/s per key with room for a burst of about 10.
 */
const COMPARE_VARIANTS: Readonly<Record<string, Record<string, unknown>>> = {
  'fixed-window': { algorithm: 'fixed-window', limit: 10, window: '1s' },
  'sliding-log': { algorithm: 'sliding-log', limit: 10, window: '1s' },
  'sliding-counter': { algorithm: 'sliding-counter', limit: 10, window: '1s' },
  'token-bucket': { algorithm: 'token-bucket', rate: '10/s', burst: 10 },
  'token-bucket-tick': { algorithm: 'token-bucket-tick', burst: 10, interval: '100ms' },
  'leaky-meter': { algorithm: 'leaky-meter', rate: '10/s', burst: 10 },
  'leaky-meter-nodelay': { algorithm: 'leaky-meter', rate: '10/s', burst: 10, nodelay: true },
  'leaky-queue': { algorithm: 'leaky-queue', rate: '10/s', capacity: 10 },
  gcra: { algorithm: 'gcra', rate: '10/s', maxBurst: 9 },
};

/** On/off Poisson traffic from 100 keys: 30 req/s per key for 1 s, then 4 s off. */
function onOff(seconds: number): Arrival[] {
  const rng = createStream(42, 'compare', 'arrivals');
  const out: Arrival[] = [];
  let t = 0;
  const rate = 3000;
  while (t < seconds * S) {
    t += Math.round((-Math.log(1 - rng.next()) * S) / rate);
    // On from 0.5 s to 1.5 s of every 5 s (straddling a window edge), off otherwise.
    const phase = t % (5 * S);
    if (phase < S / 2) t += S / 2 - phase;
    else if (phase >= 1.5 * S) t += 5.5 * S - phase;
    out.push({ at: t, clientIp: 1 + Math.floor(rng.next() * 100) });
  }
  return out;
}

describe('rate-limit-compare: the same bursty load against every algorithm', () => {
  const arrivals = onOff(30);
  const rows = Object.entries(COMPARE_VARIANTS).map(([name, algorithm]) => {
    const run = runLimiter({ limiter: { algorithm }, arrivals, service: 5000 });
    // Largest number of admissions of one key inside any 1 s span (the admitted burst).
    const byKey = new Map<number, number[]>();
    for (const s of run.seen) {
      if (s.status !== 200) continue;
      const list = byKey.get(s.arrival.clientIp!) ?? [];
      list.push(s.at - 5000);
      byKey.set(s.arrival.clientIp!, list);
    }
    let burst = 0;
    for (const list of byKey.values()) {
      list.sort((a, b) => a - b);
      for (let i = 0, j = 0; j < list.length; j++) {
        while (list[j]! - list[i]! >= S) i++;
        burst = Math.max(burst, j - i + 1);
      }
    }
    const admitted = run.seen.filter((s) => s.status === 200).map((s) => s.at - s.sentAt);
    admitted.sort((a, b) => a - b);
    const p99 = admitted[Math.ceil(admitted.length * 0.99) - 1]! / S;
    const ratio = run.result.counters.rejected! / arrivals.length;
    return { name, ratio, burst, p99, fairness: run.result.extras!.fairnessJain as number };
  });

  it('prints the side-by-side table', () => {
    console.log(
      `\nalgorithm            429-ratio  max-1s-burst  p99-admitted(s)  jain\n${rows
        .map(
          (r) =>
            `${r.name.padEnd(20)} ${r.ratio.toFixed(4).padStart(9)}  ${String(r.burst).padStart(12)}  ${r.p99.toFixed(4).padStart(15)}  ${r.fairness.toFixed(3)}`,
        )
        .join('\n')}`,
    );
    expect(rows).toHaveLength(Object.keys(COMPARE_VARIANTS).length);
  });

  const row = (name: string) => rows.find((r) => r.name === name)!;
  it('bounds the admitted burst as each algorithm promises', () => {
    expect(row('sliding-log').burst).toBeLessThanOrEqual(10);
    expect(row('token-bucket').burst).toBeLessThanOrEqual(20);
    expect(row('gcra').burst).toBe(row('token-bucket').burst);
    expect(row('fixed-window').burst).toBeGreaterThan(row('sliding-log').burst);
  });

  it('turns excess into latency when delaying (leaky meter, leaky queue) instead of rejecting', () => {
    expect(row('leaky-meter').p99).toBeGreaterThan(row('leaky-meter-nodelay').p99 + 0.3);
    expect(row('leaky-queue').p99).toBeGreaterThan(row('token-bucket').p99 + 0.3);
    expect(row('token-bucket').p99).toBeCloseTo(0.005, 3);
    expect(row('gcra').ratio).toBe(row('token-bucket').ratio);
  });
});
