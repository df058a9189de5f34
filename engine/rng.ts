import seedrandom from 'seedrandom';

/**
 * A source of uniform numbers in [0, 1). Each stream is independent of every other, so one
 * actor's draws never shift another's (common random numbers).
 */
export interface Rng {
  /** A uniform draw in [0, 1). */
  next(): number;
}

/**
 * Builds the stream for (seed, actor id, purpose). Uses seedrandom's Alea generator, which is
 * fast and has a period of about 2^116; the three parts are joined with a separator that
 * cannot appear in a decimal seed, so distinct triples give distinct seeds.
 */
export function createStream(seed: number | string, actorId: string, purpose: string): Rng {
  const prng = seedrandom.alea(`${seed}\u0000${actorId}\u0000${purpose}`);
  // Alea's generator closes over its own state and ignores `this`, so it can be used directly.
  return { next: prng };
}

/**
 * Derives the seed of replication `index` from a scenario's base seed, so replications are
 * independent and each one can be re-run alone.
 */
export function deriveSeed(baseSeed: number, index: number): number {
  if (index === 0) return baseSeed;
  const prng = seedrandom.alea(`replication\u0000${baseSeed}\u0000${index}`);
  return Math.floor(prng() * 2 ** 31) + 1;
}
