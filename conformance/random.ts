import seedrandom from 'seedrandom';
import type { Row } from './schedule.ts';

/** A seeded uniform stream in [0, 1): the schedules are the same on every run. */
export function stream(seed: string): () => number {
  return seedrandom(seed);
}

/**
 * Bursty traffic for `clients` clients on `path` until `untilMs`: bursts of 1–`maxBurst`
 * requests `spacing` ms apart (± 3 ms), separated by `minGap`–`maxGap` ms of silence; times
 * are whole milliseconds, rows sorted by time.
 */
export function bursts(
  seed: string,
  path: string,
  clients: readonly number[],
  untilMs: number,
  maxBurst = 6,
  maxGap = 400,
  spacing = 12,
  minGap = 30,
): Row[] {
  const rnd = stream(seed);
  const rows: Row[] = [];
  for (const client of clients) {
    let t = Math.floor(rnd() * 50);
    while (t < untilMs) {
      const n = 1 + Math.floor(rnd() * maxBurst);
      for (let i = 0; i < n && t < untilMs; i++) {
        rows.push({ t, method: 'GET', path, key: 0, client });
        t += spacing - 3 + Math.floor(rnd() * 7);
      }
      t += minGap + Math.floor(rnd() * (maxGap - minGap));
    }
  }
  return rows.sort((a, b) => a.t - b.t || a.client - b.client);
}
