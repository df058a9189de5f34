import { describe, expect, it } from 'vitest';
import { type Context, type Message, Simulation } from '../../../engine/index.ts';

describe('timeout lanes', () => {
  it('hold only what is pending when timers are cancelled long before they are due', () => {
    // A request timeout far beyond the run (the bench workloads use 10^8 s): every timer is
    // cancelled by its request's answer; the lane must not keep the cancelled ones.
    const sim = new Simulation({ seed: 1 });
    const a = sim.spawn('a', { on: { t: () => {} } }, null);
    const msg = { type: 't' } as Message;
    let most = 0;
    for (let i = 0; i < 100_000; i++) {
      const h = sim.scheduleTimeout(a, msg, 1e14);
      sim.cancel(h);
      most = Math.max(most, sim.pending);
    }
    expect(most).toBeLessThanOrEqual(64);
    expect(sim.run().events).toBe(0);
  });

  it('deliver the live timers at their own times, in order, after compactions', () => {
    const sim = new Simulation({ seed: 1 });
    const log: string[] = [];
    const on = (_s: unknown, m: Message & { i?: number }, ctx: Context) =>
      log.push(`${ctx.now}:${m.i}`);
    const a = sim.spawn('a', { on: { t: on, tick: () => {} } }, null);
    const expected: string[] = [];
    // 1 000 timers of one delay, armed 1 µs apart; the first and most others are cancelled.
    for (let i = 0; i < 1_000; i++) {
      const h = sim.scheduleTimeout(a, { type: 't', i } as Message, 5_000);
      if (i === 0 || i % 7 !== 3) sim.cancel(h);
      else expected.push(`${i + 5_000}:${i}`);
      sim.schedule(a, { type: 'tick' } as Message, 1);
      sim.step();
    }
    sim.run();
    expect(log).toEqual(expected);
  });
});
