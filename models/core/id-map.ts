/**
 * A map from integer ids (tags, job and query ids: non-negative integers handed out by a
 * counter) to values, for the per-request tables of the hot path. Open addressing with linear
 * probing over typed arrays: no allocation per entry, and no rehash when the table empties
 * and refills, which a Map or Set that swings around a few entries does on every cycle.
 * values() lists entries by ascending id, which for counter ids is their insertion order.
 */
export class IdMap<V> {
  private keys: Float64Array;
  private vals: (V | undefined)[];
  private mask: number;
  private count = 0;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.vals = new Array(cap).fill(undefined);
    this.mask = cap - 1;
  }

  /** Number of entries. */
  get size(): number {
    return this.count;
  }

  private find(key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = (key >>> 0) & mask;
    for (;;) {
      const k = keys[i]!;
      if (k === key) return i;
      if (k === -1) return -1;
      i = (i + 1) & mask;
    }
  }

  get(key: number): V | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : this.vals[i];
  }

  has(key: number): boolean {
    return this.find(key) >= 0;
  }

  set(key: number, value: V): void {
    if (!(key >= 0 && Number.isInteger(key))) throw new Error(`IdMap key ${key} is not an id`);
    const keys = this.keys;
    const mask = this.mask;
    let i = (key >>> 0) & mask;
    for (;;) {
      const k = keys[i]!;
      if (k === key) {
        this.vals[i] = value;
        return;
      }
      if (k === -1) break;
      i = (i + 1) & mask;
    }
    keys[i] = key;
    this.vals[i] = value;
    if (++this.count * 2 > keys.length) this.grow();
  }

  /** Removes `key`; true when it was there. Later entries of its probe run shift back. */
  delete(key: number): boolean {
    let i = this.find(key);
    if (i < 0) return false;
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j]!;
      if (k === -1) break;
      const home = (k >>> 0) & mask;
      // Move k back into the hole unless its home lies cyclically in (i, j].
      if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
      keys[i] = k;
      vals[i] = vals[j];
      i = j;
    }
    keys[i] = -1;
    vals[i] = undefined;
    this.count--;
    return true;
  }

  /** The values by ascending id (a new array; the map may change while it is walked). */
  values(): V[] {
    const live: number[] = [];
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== -1) live.push(i);
    live.sort((a, b) => this.keys[a]! - this.keys[b]!);
    return live.map((i) => this.vals[i]!);
  }

  clear(): void {
    this.keys.fill(-1);
    this.vals.fill(undefined);
    this.count = 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.vals = new Array(cap).fill(undefined);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k !== -1) this.set(k, oldVals[i]!);
    }
  }
}
