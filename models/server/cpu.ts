import type { Context, SimTime, TimerHandle } from '../../engine/index.ts';
import { Fifo } from './fifo.ts';

/** Timer messages the scheduler sends to its own actor; route them to onTimer(). */
export type CpuTimer =
  | { readonly type: 'cpu.done'; readonly id: number }
  | { readonly type: 'cpu.tick'; readonly gen: number };

const doneTimer = (id: number): CpuTimer => ({ type: 'cpu.done', id });
const tickTimer = (gen: number): CpuTimer => ({ type: 'cpu.tick', gen });

interface CpuTask<T> {
  readonly id: number;
  readonly lane: number;
  /** Work left in µs at full speed on one core. */
  remaining: number;
  readonly payload: T;
  timer: TimerHandle;
}

/**
 * CPU-bound work of one server. Without contention each task takes its work × slow factor.
 * With `cores`, runnable tasks share the cores (processor sharing): n > cores tasks each run
 * at cores/n speed, the mechanism of overload collapse. Tasks given a lane >= 0 run one at a
 * time per lane (an event loop or a GIL-bound process); lane -1 is never serialized.
 */
export class CpuScheduler<T> {
  /** Cores shared by runnable tasks; Infinity when there is no contention. */
  readonly cores: number;
  private slow = 1;
  private readonly lanes = new Map<number, Fifo<CpuTask<T>>>();
  private readonly running: CpuTask<T>[] = [];
  private last: SimTime = 0;
  private gen = 0;
  private tick: TimerHandle = -1;
  private nextId = 1;

  constructor(cores: number | undefined) {
    this.cores = cores === undefined ? Number.POSITIVE_INFINITY : cores;
  }

  /** Tasks currently running (holding a core share), not those waiting for their lane. */
  get active(): number {
    return this.running.length;
  }

  private get shared(): boolean {
    return this.cores !== Number.POSITIVE_INFINITY;
  }

  /** Adds `work` µs of CPU for `payload`; it starts now unless its lane is busy. */
  submit(ctx: Context, lane: number, work: number, payload: T): void {
    const task: CpuTask<T> = {
      id: this.nextId++,
      lane,
      remaining: Math.max(0, work),
      payload,
      timer: -1,
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
    this.start(ctx, task);
  }

  private start(ctx: Context, task: CpuTask<T>): void {
    if (this.shared) {
      this.advance(ctx.now);
      this.running.push(task);
      this.reschedule(ctx);
    } else {
      this.running.push(task);
      task.timer = ctx.after(task.remaining * this.slow, doneTimer(task.id));
    }
  }

  private rate(): number {
    const n = this.running.length;
    return (n <= this.cores ? 1 : this.cores / n) / this.slow;
  }

  private advance(now: SimTime): void {
    const dt = now - this.last;
    this.last = now;
    if (dt <= 0 || this.running.length === 0) return;
    const done = dt * this.rate();
    for (const t of this.running) t.remaining -= done;
  }

  private reschedule(ctx: Context): void {
    if (this.tick >= 0) ctx.cancel(this.tick);
    this.tick = -1;
    this.gen++;
    if (this.running.length === 0) return;
    let min = Number.POSITIVE_INFINITY;
    for (const t of this.running) if (t.remaining < min) min = t.remaining;
    const delay = Math.max(0, Math.ceil(min / this.rate()));
    this.tick = ctx.after(delay, tickTimer(this.gen));
  }

  /** Handles a scheduler timer; returns the payloads whose work finished, in start order. */
  onTimer(ctx: Context, msg: CpuTimer): T[] {
    const finished: CpuTask<T>[] = [];
    if (msg.type === 'cpu.done') {
      const i = this.running.findIndex((t) => t.id === msg.id);
      if (i < 0) return [];
      finished.push(this.running[i]!);
      this.running.splice(i, 1);
    } else {
      if (msg.gen !== this.gen) return [];
      this.tick = -1;
      this.advance(ctx.now);
      for (let i = 0; i < this.running.length; ) {
        const t = this.running[i]!;
        if (t.remaining <= 1e-6) {
          finished.push(t);
          this.running.splice(i, 1);
        } else i++;
      }
    }
    for (const t of finished) this.nextInLane(ctx, t.lane);
    if (this.shared && msg.type === 'cpu.tick') this.reschedule(ctx);
    return finished.map((t) => t.payload);
  }

  private nextInLane(ctx: Context, lane: number): void {
    if (lane < 0) return;
    const q = this.lanes.get(lane)!;
    q.shift();
    const next = q.peek();
    if (next !== undefined) this.start(ctx, next);
  }

  /** Drops every task whose payload matches (a killed request); frees its lane. */
  cancel(ctx: Context, pred: (payload: T) => boolean): void {
    if (this.shared) this.advance(ctx.now);
    const freedLanes: number[] = [];
    for (let i = 0; i < this.running.length; ) {
      const t = this.running[i]!;
      if (pred(t.payload)) {
        if (t.timer >= 0) ctx.cancel(t.timer);
        this.running.splice(i, 1);
        if (t.lane >= 0) freedLanes.push(t.lane);
      } else i++;
    }
    for (const [lane, q] of this.lanes) {
      const head = q.peek();
      q.removeWhere((t) => pred(t.payload));
      if (head !== undefined && q.peek() !== head && !freedLanes.includes(lane))
        freedLanes.push(lane);
    }
    for (const lane of freedLanes) {
      const next = this.lanes.get(lane)?.peek();
      if (next !== undefined && !this.running.includes(next)) this.start(ctx, next);
    }
    if (this.shared) this.reschedule(ctx);
  }

  /** Sets the slow-down factor (a 'fault.slow'); running shared work slows from now on. */
  setSlow(ctx: Context, factor: number): void {
    if (this.shared) this.advance(ctx.now);
    this.slow = factor;
    if (this.shared) this.reschedule(ctx);
  }
}
