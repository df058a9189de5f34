/**
 * A first-in first-out queue with O(1) push and shift (a head index over an array that is
 * compacted when the dead prefix grows); pop() takes from the tail for LIFO service. Memory is
 * bounded by the items inside.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  /** Number of items waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends an item at the tail. */
  push(item: T): void {
    this.items.push(item);
  }

  /** The item at the head, or undefined when empty. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Removes and returns the head item, or undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes and returns the tail item (the newest), or undefined when empty (LIFO service). */
  pop(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items.pop();
    if (this.head >= this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return item;
  }

  /** Removes and returns the oldest item matching `pred`, or undefined. */
  removeFirst(pred: (item: T) => boolean): T | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i] as T;
      if (!pred(item)) continue;
      this.items.splice(i, 1);
      return item;
    }
    return undefined;
  }

  /** Removes every item matching `pred`, keeping order; returns the removed items. */
  removeWhere(pred: (item: T) => boolean): T[] {
    const kept: T[] = [];
    const removed: T[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i] as T;
      (pred(item) ? removed : kept).push(item);
    }
    this.items = kept;
    this.head = 0;
    return removed;
  }

  /** Removes and returns every item. */
  drain(): T[] {
    return this.removeWhere(() => true);
  }
}
