import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeapJsQueue, TypedHeapQueue } from '../../engine/index.ts';

// Model-based test: the typed-array heap (real) against the heap-js queue (model). Both must
// agree on every observation, ties included, also after the typed heap grows.

interface Pair {
  readonly real: TypedHeapQueue;
  readonly model: HeapJsQueue;
}

interface Counter {
  seq: number;
  payload: number;
}

class PushCommand implements fc.Command<Counter, Pair> {
  readonly time: number;
  constructor(time: number) {
    this.time = time;
  }
  check(): boolean {
    return true;
  }
  run(c: Counter, q: Pair): void {
    const seq = c.seq++;
    const payload = c.payload++ % 1000; // payloads repeat: only (time, seq) decides the order
    q.real.push(this.time, seq, payload);
    q.model.push(this.time, seq, payload);
    expect(q.real.size).toBe(q.model.size);
  }
  toString(): string {
    return `push(${this.time})`;
  }
}

class PopCommand implements fc.Command<Counter, Pair> {
  check(): boolean {
    return true;
  }
  run(_c: Counter, q: Pair): void {
    const payload = q.real.pop();
    expect(payload).toBe(q.model.pop());
    if (payload >= 0) {
      expect(q.real.lastTime).toBe(q.model.lastTime);
      expect(q.real.lastSeq).toBe(q.model.lastSeq);
    }
    expect(q.real.size).toBe(q.model.size);
  }
  toString(): string {
    return 'pop';
  }
}

class PeekCommand implements fc.Command<Counter, Pair> {
  check(): boolean {
    return true;
  }
  run(_c: Counter, q: Pair): void {
    expect(q.real.peekTime()).toBe(q.model.peekTime());
    expect(q.real.peekPayload()).toBe(q.model.peekPayload());
  }
  toString(): string {
    return 'peek';
  }
}

// Few distinct times, so ties are the rule, plus some spread-out and large ones.
const time = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 3 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 1_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }) },
);

const commands = fc.commands(
  [
    time.map((t) => new PushCommand(t)),
    time.map((t) => new PushCommand(t)), // pushes twice as likely, so the heap grows
    fc.constant(new PopCommand()),
    fc.constant(new PeekCommand()),
  ],
  { maxCommands: 400 },
);

describe('TypedHeapQueue against HeapJsQueue', () => {
  it('observes the same (time, seq, payload) sequence under random push/pop/peek', () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        // A tiny initial capacity (16) makes growth happen in most runs.
        const pair = { real: new TypedHeapQueue(1), model: new HeapJsQueue() };
        fc.modelRun(() => ({ model: { seq: 0, payload: 0 }, real: pair }), cmds);
        // Drain: the remaining order must match too.
        while (pair.model.size > 0) {
          expect(pair.real.pop()).toBe(pair.model.pop());
          expect([pair.real.lastTime, pair.real.lastSeq]).toEqual([
            pair.model.lastTime,
            pair.model.lastSeq,
          ]);
        }
        expect(pair.real.pop()).toBe(-1);
      }),
      { numRuns: 200 },
    );
  });

  it('pops equal times in push order after growing far past its initial capacity', () => {
    const q = new TypedHeapQueue(16);
    const n = 5_000;
    for (let i = 0; i < n; i++) q.push(i % 7, i, i);
    const popped: number[] = [];
    for (let p = q.pop(); p >= 0; p = q.pop()) popped.push(p);
    const expected = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => (a % 7) - (b % 7) || a - b,
    );
    expect(popped).toEqual(expected);
  });
});
