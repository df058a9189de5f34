import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Behavior, type Context, type Message, Simulation } from '../../engine/index.ts';

// Delays with many zeros and ties, a few fractional ones (rounded by the engine).
const delay = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 50, noNaN: true }) },
);

interface Sent extends Message {
  readonly order: number;
  readonly at: number;
}

describe('event ordering', () => {
  it('delivers in (time, scheduling order): non-decreasing time, FIFO among equal times', () => {
    const plan = fc.record({
      actors: fc.integer({ min: 1, max: 4 }),
      sends: fc.array(
        fc.record({
          fanout: fc.integer({ min: 0, max: 3 }),
          to: fc.nat(),
          delay,
          self: fc.boolean(),
        }),
        { minLength: 1, maxLength: 200 },
      ),
    });
    fc.assert(
      fc.property(plan, ({ actors, sends }) => {
        const sim = new Simulation({ seed: 1 });
        const sent: Sent[] = [];
        const delivered: Sent[] = [];
        let cursor = 0;
        // Each delivery performs the next `fanout` sends of the plan (so the run is finite).
        const act = (ctx: Context): void => {
          const fanout = sends[cursor % sends.length]!.fanout + (cursor === 0 ? 1 : 0);
          for (let k = 0; k < fanout && cursor < sends.length; k++) {
            const s = sends[cursor++]!;
            const msg: Sent = {
              type: 'm',
              order: sent.length,
              at: ctx.now + Math.round(s.delay),
            };
            sent.push(msg);
            if (s.self) ctx.after(s.delay, msg);
            else ctx.send(s.to % actors, msg, s.delay);
          }
        };
        const behavior: Behavior<null> = {
          on: {
            'sim.start': (_s, _m, ctx) => act(ctx),
            m: (_s, m: Sent, ctx) => {
              expect(ctx.now).toBe(m.at);
              delivered.push(m);
              act(ctx);
            },
          },
        };
        for (let a = 0; a < actors; a++) sim.spawn(`a${a}`, behavior, null);
        expect(sim.run().reason).toBe('empty');
        const expected = [...sent].sort((x, y) => x.at - y.at || x.order - y.order);
        expect(delivered.map((m) => m.order)).toEqual(expected.map((m) => m.order));
      }),
      { numRuns: 200 },
    );
  });
});

type TimerOp =
  | { readonly kind: 'set'; readonly delay: number }
  | { readonly kind: 'cancel'; readonly pick: number }
  | { readonly kind: 'step' };

const timerOp: fc.Arbitrary<TimerOp> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), delay }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('step' as const) }),
);

describe('cancel', () => {
  it('a cancelled timer never fires; every other timer fires once, stale handles do nothing', () => {
    fc.assert(
      fc.property(fc.array(timerOp, { maxLength: 300 }), (ops) => {
        const fired: number[] = [];
        const sim = new Simulation({ seed: 1 });
        const ref = sim.spawn(
          't',
          { on: { t: (_s, m: { type: 't'; i: number }) => fired.push(m.i) } },
          null,
        );
        const handles: number[] = [];
        const cancelled = new Set<number>();
        const firedSet = new Set<number>();
        const track = (): void => {
          for (const i of fired) firedSet.add(i);
        };
        for (const op of ops) {
          if (op.kind === 'set')
            handles.push(sim.schedule(ref, { type: 't', i: handles.length } as Message, op.delay));
          else if (op.kind === 'step') {
            sim.step();
            track();
          } else if (handles.length > 0) {
            const i = op.pick % handles.length;
            // Only a cancel while pending counts; after firing the handle is stale.
            if (!firedSet.has(i)) cancelled.add(i);
            sim.cancel(handles[i]!);
          }
        }
        sim.run();
        track();
        expect(new Set(fired).size).toBe(fired.length);
        for (let i = 0; i < handles.length; i++) expect(firedSet.has(i)).toBe(!cancelled.has(i));
      }),
      { numRuns: 300 },
    );
  });

  it('run({until}) delivers nothing at or after until, even behind a cancelled head', () => {
    const events = fc.array(
      fc.record({ at: fc.integer({ min: 0, max: 40 }), cancel: fc.boolean() }),
      {
        maxLength: 60,
      },
    );
    fc.assert(
      fc.property(
        events,
        fc.integer({ min: 0, max: 45 }),
        fc.boolean(),
        (evs, until, cancelHead) => {
          const sim = new Simulation({ seed: 1 });
          const got: number[] = [];
          const ref = sim.spawn(
            'x',
            { on: { e: (_s, m: { type: 'e'; i: number }) => got.push(m.i) } },
            null,
          );
          const handles = evs.map((e, i) => sim.schedule(ref, { type: 'e', i } as Message, e.at));
          const dead = evs.map((e) => e.cancel);
          if (cancelHead && evs.length > 0) {
            // Cancel every earliest event, so the queue's head is a cancelled timer.
            const first = Math.min(...evs.map((e) => e.at));
            evs.forEach((e, i) => {
              if (e.at === first) dead[i] = true;
            });
          }
          handles.forEach((h, i) => {
            if (dead[i]) sim.cancel(h);
          });
          const outcome = sim.run({ until });
          const expected = evs
            .map((e, i) => ({ ...e, i }))
            .filter((e) => !dead[e.i] && e.at < until)
            .sort((a, b) => a.at - b.at || a.i - b.i)
            .map((e) => e.i);
          expect(got).toEqual(expected);
          const liveLater = evs.some((e, i) => !dead[i] && e.at >= until);
          expect(outcome.reason).toBe(liveLater ? 'until' : 'empty');
          if (liveLater) expect(outcome.now).toBe(until);
          expect(outcome.now).toBeLessThanOrEqual(until);
        },
      ),
      { numRuns: 300 },
    );
  });
});

type LaneOp =
  | { readonly kind: 'set'; readonly delay: number; readonly lane: boolean }
  | { readonly kind: 'cancel'; readonly pick: number }
  | { readonly kind: 'step' }
  | { readonly kind: 'until'; readonly by: number };

// Few distinct delays, so lanes hold many timers; ties with plain timers are common.
const laneOp: fc.Arbitrary<LaneOp> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      delay: fc.constantFrom(0, 1, 3, 3, 10, 2.6),
      lane: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('step' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('until' as const),
      by: fc.integer({ min: 0, max: 6 }),
    }),
  },
);

describe('timeout lanes', () => {
  it('scheduleTimeout delivers exactly what schedule would, cancels included', () => {
    fc.assert(
      fc.property(fc.array(laneOp, { maxLength: 300 }), (ops) => {
        // Two simulations fed the same operations; only one of them uses lanes.
        const run = (useLanes: boolean) => {
          const log: string[] = [];
          const sim = new Simulation({ seed: 1 });
          const on = (_s: unknown, m: { type: string; i: number }, ctx: Context) =>
            log.push(`${ctx.now}:${m.type}${m.i}`);
          const a = sim.spawn('a', { on: { t: on, u: on } }, null);
          const b = sim.spawn('b', { on: { t: on, u: on } }, null);
          const handles: number[] = [];
          const pending: number[] = [];
          for (const op of ops) {
            if (op.kind === 'set') {
              const to = handles.length % 3 === 0 ? b : a;
              const msg = { type: op.lane ? 'u' : 't', i: handles.length } as Message;
              handles.push(
                useLanes && op.lane
                  ? sim.scheduleTimeout(to, msg, op.delay)
                  : sim.schedule(to, msg, op.delay),
              );
            } else if (op.kind === 'cancel') {
              if (handles.length > 0) sim.cancel(handles[op.pick % handles.length]!);
            } else if (op.kind === 'step') sim.step();
            else sim.run({ until: sim.now + op.by });
            pending.push(sim.pending);
          }
          const outcome = sim.run();
          return { log, fingerprint: sim.fingerprint(), now: outcome.now, pending };
        };
        const plain = run(false);
        const laned = run(true);
        expect(laned.log).toEqual(plain.log);
        expect(laned.fingerprint).toBe(plain.fingerprint);
        expect(laned.now).toBe(plain.now);
        // Lanes drop cancelled timers sooner, so they never hold more than the queue would.
        for (const [k, n] of laned.pending.entries()) {
          expect(n).toBeLessThanOrEqual(plain.pending[k]!);
        }
      }),
      { numRuns: 400 },
    );
  });
});

/** A small model whose event times depend on every draw: `n` exponential self-timers. */
function drawModel(seed: number | string, n: number): Simulation {
  const sim = new Simulation({ seed });
  const tick = (_s: unknown, _m: Message, ctx: Context): void => {
    ctx.after(-Math.log(1 - ctx.rng('gap').next()) * 1000, { type: 'tick' });
  };
  sim.spawn('a', { on: { 'sim.start': tick, tick } }, null);
  sim.run({ maxEvents: n });
  return sim;
}

describe('seeds and streams', () => {
  it('same seed gives the same fingerprint; a different seed a different one', () => {
    const seeds = fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 31 }), {
      minLength: 2,
      maxLength: 2,
    });
    fc.assert(
      fc.property(seeds, fc.integer({ min: 5, max: 50 }), ([s1, s2], n) => {
        const f1 = drawModel(s1!, n).fingerprint();
        expect(drawModel(s1!, n).fingerprint()).toBe(f1);
        expect(drawModel(s2!, n).fingerprint()).not.toBe(f1);
      }),
      { numRuns: 100 },
    );
  });

  it("adding an actor that draws random numbers leaves the other actors' draws unchanged", () => {
    const name = fc.string({ minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(
        fc.integer(),
        fc.uniqueArray(name, { minLength: 3, maxLength: 3 }),
        fc.array(name, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 30 }),
        (seed, [a, b, extra], purposes, n) => {
          type Log = { draws: number[] };
          const drawer: Behavior<Log> = {
            on: {
              'sim.start': (_s, _m, ctx) => ctx.after(0, { type: 'draw' }),
              draw: (s, _m, ctx) => {
                for (const p of purposes) s.draws.push(ctx.rng(p).next());
                if (s.draws.length < n * purposes.length) ctx.after(1, { type: 'draw' });
              },
            },
          };
          const drawsOf = (withExtra: boolean): number[][] => {
            const sim = new Simulation({ seed });
            if (withExtra) sim.spawn(extra!, drawer, { draws: [] });
            const ra = sim.spawn(a!, drawer, { draws: [] });
            const rb = sim.spawn(b!, drawer, { draws: [] });
            sim.run();
            return [sim.stateOf<Log>(ra).draws, sim.stateOf<Log>(rb).draws];
          };
          const alone = drawsOf(false);
          expect(alone[0]).not.toEqual(alone[1]);
          expect(drawsOf(true)).toEqual(alone);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('budgets', () => {
  it("maxEvents stops with reason 'maxEvents' and partial: true, and the run can resume", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 3 }), (k, actors) => {
        const sim = new Simulation({ seed: 3 });
        const tick = (_s: unknown, _m: Message, ctx: Context): void => {
          ctx.after(ctx.rng('d').next() < 0.5 ? 0 : 7, { type: 'tick' });
        };
        for (let a = 0; a < actors; a++)
          sim.spawn(`t${a}`, { on: { 'sim.start': tick, tick } }, null);
        const out = sim.run({ maxEvents: k });
        expect(out).toMatchObject({ reason: 'maxEvents', partial: true, events: k });
        expect(sim.eventsDelivered).toBe(k);
        expect(sim.run({ maxEvents: 1 })).toMatchObject({ reason: 'maxEvents', events: 1 });
      }),
      { numRuns: 100 },
    );
  });

  it('a run that empties the queue within maxEvents is not partial', () => {
    const sim = new Simulation({ seed: 3 });
    sim.spawn('once', { on: { 'sim.start': () => undefined } }, null);
    expect(sim.run({ maxEvents: 10 })).toMatchObject({
      reason: 'empty',
      partial: false,
      events: 1,
    });
  });
});

describe('clock', () => {
  it('never goes back over a sequence of run({until}) calls in any order', () => {
    const input = fc.record({
      times: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 30 }),
      untils: fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 8 }),
    });
    fc.assert(
      fc.property(input, ({ times, untils }) => {
        const sim = new Simulation({ seed: 1 });
        const seen: number[] = [];
        const ref = sim.spawn('x', { on: { e: (_s, _m, ctx) => seen.push(ctx.now) } }, null);
        for (const t of times) sim.schedule(ref, { type: 'e' }, t);
        let last = 0;
        for (const until of untils) {
          const out = sim.run({ until });
          expect(out.now).toBeGreaterThanOrEqual(last);
          last = out.now;
          seen.push(out.now);
        }
        sim.run();
        seen.push(sim.now);
        for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
      }),
      { numRuns: 200 },
    );
  });
});
