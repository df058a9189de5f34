import { z } from 'zod';
import { type BackendView, type Balancer, randomIndex } from '../algorithm.ts';

/** Config of power-of-d-choices (Envoy LEAST_REQUEST, HAProxy `random(2)`, NGINX `random two`). */
export const powerOfDChoicesSchema = z.strictObject({
  name: z.literal('power-of-d-choices'),
  choices: z.number().int().min(1).max(64).default(2).describe('d: random candidates per pick'),
  activeRequestBias: z
    .number()
    .min(0)
    .max(10)
    .default(1)
    .describe('Envoy: with unequal weights score = weight / (active + 1)^bias'),
});
/** Parsed power-of-d config. */
export type PowerOfDChoicesConfig = z.output<typeof powerOfDChoicesSchema>;

/**
 * Samples d eligible backends independently (with replacement, as in the supermarket model) and
 * keeps the one with the fewest in-flight requests; the first sampled wins ties. When weights
 * differ it keeps the highest weight / (active + 1)^bias, as Envoy does. O(d) = O(1).
 */
export function powerOfDChoices(config: Omit<PowerOfDChoicesConfig, 'name'>): Balancer {
  const d = config.choices;
  const bias = config.activeRequestBias;
  let version = -1;
  let equal = true;
  const weightsEqual = (view: BackendView) => {
    if (version !== view.version) {
      const e = view.eligible;
      const w0 = e.length > 0 ? view.weight(e[0]!) : 1;
      equal = e.every((i) => view.weight(i) === w0);
      version = view.version;
    }
    return equal;
  };
  return {
    name: 'power-of-d-choices',
    cost: 'O(1)',
    pick(view, _req, rng) {
      const e = view.eligible;
      if (e.length === 0) return -1;
      const eq = weightsEqual(view);
      let best = -1;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < d; k++) {
        const i = e[randomIndex(rng, e.length)]!;
        const active = view.inflight(i);
        const score = eq ? -active : view.weight(i) / (active + 1) ** bias;
        if (score > bestScore) {
          bestScore = score;
          best = i;
        }
      }
      return best;
    },
  };
}
