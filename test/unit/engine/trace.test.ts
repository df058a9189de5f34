import { describe, expect, it } from 'vitest';
import {
  type Behavior,
  firstDivergence,
  Simulation,
  type TraceRecord,
  TraceRecorder,
} from '../../../engine/index.ts';

const r = (time: number, actorId: string, type: string): TraceRecord => ({ time, actorId, type });

describe('firstDivergence', () => {
  it('is undefined for identical traces, including two empty ones', () => {
    expect(firstDivergence([], [])).toBeUndefined();
    expect(
      firstDivergence([r(1, 'a', 'x'), r(2, 'b', 'y')], [r(1, 'a', 'x'), r(2, 'b', 'y')]),
    ).toBeUndefined();
  });

  it('finds the first differing field: time, actor or type', () => {
    const base = [r(1, 'a', 'x'), r(2, 'b', 'y'), r(3, 'c', 'z')];
    for (const changed of [r(2, 'b', 'Y'), r(2, 'B', 'y'), r(5, 'b', 'y')]) {
      const other = [base[0]!, changed, r(9, 'q', 'q')];
      expect(firstDivergence(base, other)).toEqual({ index: 1, a: base[1], b: changed });
    }
  });

  it('reports a prefix with undefined for the trace that ended', () => {
    const long = [r(1, 'a', 'x'), r(2, 'a', 'x')];
    expect(firstDivergence(long, long.slice(0, 1))).toEqual({ index: 1, a: long[1], b: undefined });
    expect(firstDivergence([], long)).toEqual({ index: 0, a: undefined, b: long[0] });
  });
});

describe('TraceRecorder', () => {
  const ticker: Behavior<{ left: number }> = {
    on: {
      'sim.start': (_s, _m, ctx) => ctx.after(10, { type: 'tick' }),
      tick: (s, _m, ctx) => {
        if (--s.left > 0) ctx.after(10, { type: 'tick' });
      },
    },
  };

  it('records delivered events in order up to the cap and counts the rest', () => {
    const rec = new TraceRecorder(3);
    const sim = new Simulation({ seed: 1, trace: rec.hook });
    sim.spawn('t', ticker, { left: 5 });
    sim.run();
    expect(rec.records).toEqual([r(0, 't', 'sim.start'), r(10, 't', 'tick'), r(20, 't', 'tick')]);
    expect(rec.dropped).toBe(3);
  });

  it('locates where two runs with different inputs part ways', () => {
    const traceOf = (left: number): TraceRecord[] => {
      const rec = new TraceRecorder();
      const sim = new Simulation({ seed: 1, trace: rec.hook });
      sim.spawn('t', ticker, { left });
      sim.run();
      return rec.records;
    };
    const d = firstDivergence(traceOf(4), traceOf(2));
    expect(d).toEqual({ index: 3, a: r(30, 't', 'tick'), b: undefined });
  });

  it('rejects a negative or fractional cap', () => {
    expect(() => new TraceRecorder(-1)).toThrow();
    expect(() => new TraceRecorder(1.5)).toThrow();
  });
});
