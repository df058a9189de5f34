import type { Context, SimTime, TimerHandle } from '../../engine/index.ts';
import { Fifo } from '../core/fifo.ts';

/** The timer message the scheduler sends to its own actor; route it to onTimer(). */
export type CpuTimer = { readonly type: 'cpu.tick' };

interface CpuTask<T> {
  readonly id: number;
  readonly lane: number;
  /** Work in µs at full speed on one core; fixed at submit time. */
  readonly work: number;
  /** Virtual time at which the task's work is done (set when it starts running). */
  finish: number;
  readonly payload: T;
}

/** Tolerance for virtual-time comparisons (µs of work). */
const EPS = 1e-6;

/**
 * CPU-bound work of one server. Without contention each task runs at full speed (divided by
 * the slow factor). With `cores`, runnable tasks share the cores (processor sharing): n > cores
 * tasks each run at cores/n speed, the mechanism of overload collapse. Tasks given a lane >= 0
 * run one at a time per lane (an event loop or a GIL-bound process); lane -1 is never serialized.
 *
 * Implementation: a virtual clock V advances at the per-task speed r(t); a running task ends when
 * V reaches V(start) + work. Running tasks sit in a binary heap by (finish, id), and one timer
 * points at the earliest finish. The timer is moved only when the speed changes or a new task
 * would finish first, so an unloaded server costs one event per task.
 */
export class CpuScheduler<T> {
  /** Cores shared by runnable tasks; Infinity when there is no contention. */
  readonly cores: number;
  private slow = 1;
  private readonly lanes = new Map<number, Fifo<CpuTask<T>>>();
  private readonly heap: CpuTask<T>[] = [];
  private virtual = 0;
  private last: SimTime = 0;
  private tick: TimerHandle = -1;
  /** Virtual finish time the pending timer was set for (Infinity when none). */
  private tickFinish = Number.POSITIVE_INFINITY;
  private tickRate = 0;
  private nextId = 1;
  /** The one timer message (a cancelled timer never fires, so it needs no generation). */
  private readonly tickMessage: CpuTimer = { type: 'cpu.tick' };
  /** onTimer()'s result, reused: callers consume it before the next event. */
  private readonly finished: T[] = [];

  constructor(cores: number | undefined) {
    this.cores = cores === undefined ? Number.POSITIVE_INFINITY : cores;
  }

  /** The current slow-down factor (1 = full speed). */
  get slowFactor(): number {
    return this.slow;
  }

  /** Tasks currently running (holding a core share), not those waiting for their lane. */
  get active(): number {
    return this.heap.length;
  }

  /** Adds `work` µs of CPU for `payload`; it starts now unless its lane is busy. */
  submit(ctx: Context, lane: number, work: number, payload: T): void {
    const task: CpuTask<T> = {
      id: this.nextId++,
      lane,
      work: Math.max(0, work),
      finish: 0,
      payload,
    };
    if (lane >= 0) {
      let q = this.lanes.get(lane);
      if (q === undefined) {
        q = new Fifo();
        this.lanes.set(lane, q);
      }
      q.push(task);
      if (q.length > 1) return;
    }
    this.advance(ctx.now);
    this.start(task);
    this.reschedule(ctx);
  }

  /**
   * Handles a scheduler timer; returns the payloads whose work finished, in finish order. The
   * array is reused by the next call: iterate it at once.
   */
  onTimer(ctx: Context, msg: CpuTimer): readonly T[] {
    const finished = this.finished;
    finished.length = 0;
    if (msg.type !== 'cpu.tick' || this.tick < 0) return finished;
    this.tick = -1;
    this.tickFinish = Number.POSITIVE_INFINITY;
    this.advance(ctx.now);
    while (this.heap.length > 0 && this.heap[0]!.finish <= this.virtual + EPS) {
      const t = this.pop();
      finished.push(t.payload);
      this.nextInLane(t.lane);
    }
    this.reschedule(ctx);
    return finished;
  }

  /** Drops every task whose payload matches (a killed request); frees its lane. */
  cancel(ctx: Context, pred: (payload: T) => boolean): void {
    this.advance(ctx.now);
    const kept = this.heap.filter((t) => !pred(t.payload));
    const freedLanes: number[] = [];
    for (const t of this.heap) if (pred(t.payload) && t.lane >= 0) freedLanes.push(t.lane);
    this.heap.length = 0;
    for (const t of kept) this.push(t);
    for (const [lane, q] of this.lanes) {
      const head = q.peek();
      q.removeWhere((t) => pred(t.payload));
      if (head !== undefined && q.peek() !== head && !freedLanes.includes(lane)) {
        freedLanes.push(lane);
      }
    }
    for (const lane of freedLanes) {
      const next = this.lanes.get(lane)?.peek();
      if (next !== undefined && !this.heap.includes(next)) this.start(next);
    }
    this.forceReschedule(ctx);
  }

  /** Sets the slow-down factor (a 'fault.slow'); running work slows from now on. */
  setSlow(ctx: Context, factor: number): void {
    this.advance(ctx.now);
    this.slow = factor;
    this.forceReschedule(ctx);
  }

  private rate(): number {
    const n = this.heap.length;
    return (n <= this.cores ? 1 : this.cores / n) / this.slow;
  }

  private advance(now: SimTime): void {
    const dt = now - this.last;
    this.last = now;
    if (dt > 0 && this.heap.length > 0) this.virtual += dt * this.rate();
  }

  private start(task: CpuTask<T>): void {
    task.finish = this.virtual + task.work;
    this.push(task);
  }

  private nextInLane(lane: number): void {
    if (lane < 0) return;
    const q = this.lanes.get(lane)!;
    q.shift();
    const next = q.peek();
    if (next !== undefined) this.start(next);
  }

  /** Moves the timer only if the speed changed or the earliest finish moved. */
  private reschedule(ctx: Context): void {
    const head = this.heap[0];
    if (head === undefined) {
      this.clearTimer(ctx);
      return;
    }
    if (this.tick >= 0 && head.finish === this.tickFinish && this.rate() === this.tickRate) return;
    this.forceReschedule(ctx);
  }

  private forceReschedule(ctx: Context): void {
    this.clearTimer(ctx);
    const head = this.heap[0];
    if (head === undefined) return;
    const r = this.rate();
    const delay = Math.max(0, Math.ceil((head.finish - this.virtual) / r - EPS));
    this.tickFinish = head.finish;
    this.tickRate = r;
    this.tick = ctx.after(delay, this.tickMessage);
  }

  private clearTimer(ctx: Context): void {
    if (this.tick >= 0) ctx.cancel(this.tick);
    this.tick = -1;
    this.tickFinish = Number.POSITIVE_INFINITY;
  }

  private before(a: CpuTask<T>, b: CpuTask<T>): boolean {
    return a.finish < b.finish || (a.finish === b.finish && a.id < b.id);
  }

  private push(task: CpuTask<T>): void {
    const h = this.heap;
    let i = h.length;
    h.push(task);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(task, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = task;
  }

  private pop(): CpuTask<T> {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && this.before(h[r]!, h[l]!) ? r : l;
        if (!this.before(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
