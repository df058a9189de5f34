// The cache-curve bench trace: seeded Zipf(1.0) keys, and the same keys as CSV bytes.
import { createStream, zipf } from '../engine/index.ts';

/** The bench trace's keys: Zipf(1.0) over n objects, seeded. */
export function zipfKeys(n: number, length: number): Float64Array {
  const rng = createStream(1, 'bench', 'cache-curve');
  const z = zipf(n, 1.0);
  const t = new Float64Array(length);
  for (let i = 0; i < length; i++) t[i] = z.sample(rng);
  return t;
}

/** The keys as a CSV trace (time,key,size). */
export function csvBytes(keys: Float64Array): Uint8Array {
  const parts: string[] = ['time,key,size\n'];
  for (let i = 0; i < keys.length; i++)
    parts.push(`${(i / 1000).toFixed(3)},${keys[i]},${100 + (keys[i]! % 900)}\n`);
  return Buffer.from(parts.join(''));
}
