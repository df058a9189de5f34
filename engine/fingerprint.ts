/**
 * A running 64-bit (two 32-bit lanes) FNV-style hash over every delivered event's
 * (time, target, type). Two runs with equal fingerprints delivered the same events.
 */
export class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x01000193;
  private readonly typeCodes = new Map<string, number>();

  /** Mixes one delivered event into the hash. */
  add(time: number, target: number, type: string): void {
    let code = this.typeCodes.get(type);
    if (code === undefined) {
      code = hashString(type);
      this.typeCodes.set(type, code);
    }
    this.addCode(time, target, code);
  }

  /** add() with the type's code, hashString(type), already known. */
  addCode(time: number, target: number, code: number): void {
    const lo = time % 4294967296;
    const hi = (time - lo) / 4294967296;
    this.a = mix(mix(mix(mix(this.a, lo), hi), target), code);
    this.b = mix(mix(mix(mix(this.b, code), target), hi ^ 0x5bd1e995), lo);
  }

  /** The hash so far as 16 hex digits. */
  value(): string {
    return (
      (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0')
    );
  }
}

function mix(h: number, v: number): number {
  h ^= v | 0;
  h = Math.imul(h, 0x01000193);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d);
}

/** A 32-bit FNV-1a hash of a string's UTF-16 code units. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
