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

  push(handle: number, time: number, seq: number): void {
    if (this.count === this.handles.length) this.grow();
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
