/**
 * A FIFO of timers that share one delay (a timeout knob). Since the clock never goes back, their
 * (time, seq) keys arrive in order, so only the lane's head needs a place in the event queue:
 * arming is O(1), and a cancelled timer costs nothing until the head reaches it (then O(1)).
 * Node.js keeps its own timers in lists per duration for the same reason.
 */
export class TimerLane {
  handles = new Float64Array(64);
  times = new Float64Array(64);
  seqs = new Float64Array(64);
  head = 0;
  count = 0;

  /**
   * Appends a timer. A full lane first drops the cancelled timers behind its head (`live` says
   * which handles still count), keeping order and the head (whose key the event queue holds),
   * and grows only when at least half stays: a lane whose timers are cancelled long before they
   * are due (a 100 000 s timeout) stays as small as what is in flight, not what was simulated.
   */
  push(handle: number, time: number, seq: number, live: (handle: number) => boolean): void {
    if (this.count === this.handles.length) {
      this.compact(live);
      if (this.count > this.handles.length >> 1) this.grow();
    }
    const i = (this.head + this.count) & (this.handles.length - 1);
    this.handles[i] = handle;
    this.times[i] = time;
    this.seqs[i] = seq;
    this.count++;
  }

  shift(): void {
    this.head = (this.head + 1) & (this.handles.length - 1);
    this.count--;
  }

  private compact(live: (handle: number) => boolean): void {
    const mask = this.handles.length - 1;
    let kept = 1;
    for (let k = 1; k < this.count; k++) {
      const from = (this.head + k) & mask;
      const h = this.handles[from]!;
      if (!live(h)) continue;
      const to = (this.head + kept) & mask;
      this.handles[to] = h;
      this.times[to] = this.times[from]!;
      this.seqs[to] = this.seqs[from]!;
      kept++;
    }
    this.count = kept;
  }

  private grow(): void {
    const cap = this.handles.length;
    const copy = (from: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const to = new Float64Array(cap * 2);
      for (let k = 0; k < this.count; k++) to[k] = from[(this.head + k) & (cap - 1)]!;
      return to;
    };
    this.handles = copy(this.handles);
    this.times = copy(this.times);
    this.seqs = copy(this.seqs);
    this.head = 0;
  }
}
