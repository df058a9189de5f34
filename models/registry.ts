import type { ComponentKind } from './core/component.ts';
import { rateLimiterKind } from './ratelimit/component.ts';

/**
 * Every component kind the scenario format knows, in one list. A model family adds its kinds
 * here; the scenario schema, the docs and the JSON Schema are generated from this list.
 */
export const COMPONENT_KINDS: readonly ComponentKind[] = [rateLimiterKind];

/** Finds a kind by its `type` name. */
export function findKind(type: string): ComponentKind | undefined {
  return COMPONENT_KINDS.find((k) => k.type === type);
}
