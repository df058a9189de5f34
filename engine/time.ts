/**
 * Simulated time is an integer number of microseconds held in a JS number.
 * 2^53 µs is about 285 years, so integer arithmetic on it is exact.
 */
export type SimTime = number;

/** Microseconds per second: the factor between the clock and reported seconds. */
export const MICROS_PER_SECOND = 1_000_000;

/** Converts seconds to whole microseconds, rounding to the nearest microsecond. */
export function fromSeconds(seconds: number): SimTime {
  return Math.round(seconds * MICROS_PER_SECOND);
}

/** Converts milliseconds to whole microseconds, rounding to the nearest microsecond. */
export function fromMillis(ms: number): SimTime {
  return Math.round(ms * 1000);
}

/** Converts a clock value in microseconds to seconds for reporting. */
export function toSeconds(t: SimTime): number {
  return t / MICROS_PER_SECOND;
}
