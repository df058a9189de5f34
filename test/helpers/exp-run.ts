import type { Scenario } from '../../models/scenario/format.ts';
import { validateScenario } from '../../models/scenario/load.ts';
import { kinds } from './exp-kinds.ts';

/** Validates a raw scenario against the test kinds, throwing with the issues on failure. */
export function parse(raw: unknown): Scenario {
  const v = validateScenario(raw, kinds);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.scenario;
}
