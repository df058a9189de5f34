/**
 * The physical limit the engine is compared with: a binary min-heap over typed arrays keyed by
 * (time, seq), written here independently of engine/queue.ts, with no actors, slots or
 * dispatch around it.
 */
export class BareHeap {
  time: Float64Array;
  seq: Float64Array;
  kind: Int32Array;
  size = 0;
  private nextSeq = 0;
  /** Time of the last popped entry. */
  topTime = 0;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Int32Array(capacity);
  }

  /** Adds an entry at `t` carrying the small integer `k`. Capacity is fixed. */
  push(t: number, k: number): void {
    const time = this.time;
    const seq = this.seq;
    const kind = this.kind;
    const s = this.nextSeq++;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p]!;
      if (pt < t || (pt === t && seq[p]! < s)) break;
      time[i] = pt;
      seq[i] = seq[p]!;
      kind[i] = kind[p]!;
      i = p;
    }
    time[i] = t;
    seq[i] = s;
    kind[i] = k;
  }

  /** Removes the earliest entry, sets topTime and returns its kind; the heap must be non-empty. */
  pop(): number {
    const time = this.time;
    const seq = this.seq;
    const kind = this.kind;
    const k0 = kind[0]!;
    this.topTime = time[0]!;
    const n = --this.size;
    const t = time[n]!;
    const s = seq[n]!;
    const k = kind[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ct = time[c]!;
      let cs = seq[c]!;
      if (c + 1 < n) {
        const rt = time[c + 1]!;
        const rs = seq[c + 1]!;
        if (rt < ct || (rt === ct && rs < cs)) {
          c++;
          ct = rt;
          cs = rs;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      time[i] = ct;
      seq[i] = cs;
      kind[i] = kind[c]!;
      i = c;
    }
    time[i] = t;
    seq[i] = s;
    kind[i] = k;
    return k0;
  }
}
