// Brute-force reference caches, written from the papers with plain arrays: slow, obvious, and
// independent of models/cache/policies (no shared code). Each returns hit (true) or miss.

/** A reference cache: access(key) → hit? (admits on a miss). */
export interface RefCache {
  access(key: number): boolean;
}

/** LRU: array most-recent-first. */
export function refLru(c: number): RefCache {
  const stack: number[] = [];
  return {
    access(key) {
      const i = stack.indexOf(key);
      if (i >= 0) {
        stack.splice(i, 1);
        stack.unshift(key);
        return true;
      }
      stack.unshift(key);
      if (stack.length > c) stack.pop();
      return false;
    },
  };
}

/** FIFO: array oldest-first; hits change nothing. */
export function refFifo(c: number): RefCache {
  const q: number[] = [];
  return {
    access(key) {
      if (q.includes(key)) return true;
      q.push(key);
      if (q.length > c) q.shift();
      return false;
    },
  };
}

/** CLOCK: a circular buffer of frames with reference bits and a hand. */
export function refClock(c: number): RefCache {
  const keys: number[] = [];
  const ref: boolean[] = [];
  let hand = 0;
  return {
    access(key) {
      const i = keys.indexOf(key);
      if (i >= 0) {
        ref[i] = true;
        return true;
      }
      if (keys.length < c) {
        keys.push(key);
        ref.push(false);
        return false;
      }
      while (ref[hand]) {
        ref[hand] = false;
        hand = (hand + 1) % c;
      }
      keys[hand] = key;
      ref[hand] = false;
      hand = (hand + 1) % c;
      return false;
    },
  };
}

/** SIEVE (Zhang et al., NSDI 2024): array tail (index 0, oldest) to head; hand moves toward the head. */
export function refSieve(c: number): RefCache {
  const keys: number[] = [];
  const visited: boolean[] = [];
  let hand: number | null = null;
  return {
    access(key) {
      const i = keys.indexOf(key);
      if (i >= 0) {
        visited[i] = true;
        return true;
      }
      if (keys.length >= c) {
        let o = hand ?? 0;
        while (visited[o]) {
          visited[o] = false;
          o = o + 1 < keys.length ? o + 1 : 0;
        }
        keys.splice(o, 1);
        visited.splice(o, 1);
        hand = o < keys.length ? o : null;
      }
      keys.push(key);
      visited.push(false);
      return false;
    },
  };
}

/** ARC as in Megiddo & Modha (FAST 2003), Fig. 4, with a real-valued target p. */
export function refArc(c: number): RefCache {
  const t1: number[] = [];
  const t2: number[] = [];
  const b1: number[] = [];
  const b2: number[] = [];
  let p = 0;
  const remove = (l: number[], k: number) => l.splice(l.indexOf(k), 1);
  const replace = (inB2: boolean) => {
    if (t1.length >= 1 && ((inB2 && t1.length === p) || t1.length > p)) b1.unshift(t1.pop()!);
    else b2.unshift(t2.pop()!);
  };
  return {
    access(x) {
      if (t1.includes(x) || t2.includes(x)) {
        remove(t1.includes(x) ? t1 : t2, x);
        t2.unshift(x);
        return true;
      }
      if (b1.includes(x)) {
        p = Math.min(c, p + Math.max(b2.length / b1.length, 1));
        replace(false);
        remove(b1, x);
        t2.unshift(x);
        return false;
      }
      if (b2.includes(x)) {
        p = Math.max(0, p - Math.max(b1.length / b2.length, 1));
        replace(true);
        remove(b2, x);
        t2.unshift(x);
        return false;
      }
      const l1 = t1.length + b1.length;
      const total = l1 + t2.length + b2.length;
      if (l1 === c) {
        if (t1.length < c) {
          b1.pop();
          replace(false);
        } else t1.pop();
      } else if (l1 < c && total >= c) {
        if (total === 2 * c) b2.pop();
        replace(false);
      }
      t1.unshift(x);
      return false;
    },
  };
}
