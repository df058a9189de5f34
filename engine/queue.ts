import { Heap } from 'heap-js';

/**
 * A priority queue of pending events keyed by (time, seq). `seq` is unique, so the order is
 * total: equal times pop in the order they were pushed. The payload is an integer slot index.
 */
export interface EventQueue {
  /** Number of events waiting. */
  readonly size: number;
  /** Adds an event; `seq` must be strictly greater than every seq pushed before. */
  push(time: number, seq: number, payload: number): void;
  /** Time of the next event; Infinity when empty. */
  peekTime(): number;
  /** Payload of the next event without removing it; -1 when empty. */
  peekPayload(): number;
  /** Removes the next event and returns its payload; -1 when empty. Sets lastTime/lastSeq. */
  pop(): number;
  /** Time of the event returned by the last pop(). */
  readonly lastTime: number;
  /** Sequence number of the event returned by the last pop(). */
  readonly lastSeq: number;
}

/** Names of the queue implementations a simulation can use. */
export type QueueKind = 'typed-heap' | 'heap-js';

/**
 * Binary min-heap over parallel typed arrays (time, seq, payload). No allocation per event;
 * the arrays double when full. This is the default queue.
 */
export class TypedHeapQueue implements EventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  private payloads: Int32Array;
  private n = 0;
  lastTime = 0;
  lastSeq = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.payloads = new Int32Array(cap);
  }

  get size(): number {
    return this.n;
  }

  peekTime(): number {
    return this.n === 0 ? Number.POSITIVE_INFINITY : this.times[0]!;
  }

  peekPayload(): number {
    return this.n === 0 ? -1 : this.payloads[0]!;
  }

  push(time: number, seq: number, payload: number): void {
    if (this.n === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      payloads[i] = payloads[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    payloads[i] = payload;
  }

  pop(): number {
    if (this.n === 0) return -1;
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    const top = payloads[0]!;
    this.lastTime = times[0]!;
    this.lastSeq = seqs[0]!;
    const last = --this.n;
    if (last > 0) {
      const t = times[last]!;
      const s = seqs[last]!;
      const p = payloads[last]!;
      let i = 0;
      const half = last >> 1;
      while (i < half) {
        let c = 2 * i + 1;
        let ct = times[c]!;
        let cs = seqs[c]!;
        const r = c + 1;
        if (r < last) {
          const rt = times[r]!;
          const rs = seqs[r]!;
          if (rt < ct || (rt === ct && rs < cs)) {
            c = r;
            ct = rt;
            cs = rs;
          }
        }
        if (t < ct || (t === ct && s < cs)) break;
        times[i] = ct;
        seqs[i] = cs;
        payloads[i] = payloads[c]!;
        i = c;
      }
      times[i] = t;
      seqs[i] = s;
      payloads[i] = p;
    }
    return top;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    const seqs = new Float64Array(cap);
    const payloads = new Int32Array(cap);
    times.set(this.times);
    seqs.set(this.seqs);
    payloads.set(this.payloads);
    this.times = times;
    this.seqs = seqs;
    this.payloads = payloads;
  }
}

interface HeapEntry {
  readonly time: number;
  readonly seq: number;
  readonly payload: number;
}

function compareEntries(a: HeapEntry, b: HeapEntry): number {
  return a.time === b.time ? a.seq - b.seq : a.time - b.time;
}

/** The heap-js reference queue: one object per event. Selectable, and the test oracle. */
export class HeapJsQueue implements EventQueue {
  private readonly heap = new Heap<HeapEntry>(compareEntries);
  lastTime = 0;
  lastSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  peekTime(): number {
    const top = this.heap.peek();
    return top === undefined ? Number.POSITIVE_INFINITY : top.time;
  }

  peekPayload(): number {
    const top = this.heap.peek();
    return top === undefined ? -1 : top.payload;
  }

  push(time: number, seq: number, payload: number): void {
    this.heap.push({ time, seq, payload });
  }

  pop(): number {
    const top = this.heap.pop();
    if (top === undefined) return -1;
    this.lastTime = top.time;
    this.lastSeq = top.seq;
    return top.payload;
  }
}

/** Creates an empty queue of the named kind. */
export function createQueue(kind: QueueKind = 'typed-heap'): EventQueue {
  return kind === 'heap-js' ? new HeapJsQueue() : new TypedHeapQueue();
}
