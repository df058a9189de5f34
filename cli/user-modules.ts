import { dirname } from 'node:path';
import type { UserFactory } from '../models/core/user-algorithm.ts';
import { loadAlgorithmModule, ModuleLoadError } from './algorithm-module.ts';

/** Loaded user modules of a scenario, or the lines saying why one could not be loaded. */
export type UserModules =
  | { readonly ok: true; readonly lookup: (module: string) => UserFactory }
  | { readonly ok: false; readonly lines: string[] };

/**
 * Every `{ "module": "…", "options"?: … }` object inside a component's config (a balancer's or
 * rate limiter's algorithm, a rate-limit tier, a cache policy), with its JSON pointer.
 */
export function moduleReferences(
  value: unknown,
  pointer: string,
  out: { module: string; pointer: string }[] = [],
): { module: string; pointer: string }[] {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) moduleReferences(v, `${pointer}/${i}`, out);
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (
      typeof o.module === 'string' &&
      Object.keys(o).every((k) => k === 'module' || k === 'options')
    ) {
      out.push({ module: o.module, pointer: `${pointer}/module` });
    } else {
      for (const [k, v] of Object.entries(o)) moduleReferences(v, `${pointer}/${k}`, out);
    }
  }
  return out;
}

/**
 * Bundles and loads every user algorithm module a scenario names (see moduleReferences),
 * relative to the scenario file, before anything is built: loading is I/O, so it happens here
 * and the models get factories.
 */
export async function loadUserModules(
  scenario: { components: Record<string, unknown> },
  scenarioFile: string,
): Promise<UserModules> {
  const factories = new Map<string, UserFactory>();
  const lines: string[] = [];
  for (const [id, c] of Object.entries(scenario.components)) {
    for (const { module, pointer } of moduleReferences(c, `/components/${id}`)) {
      if (factories.has(module)) continue;
      try {
        const loaded = await loadAlgorithmModule(module, dirname(scenarioFile));
        factories.set(module, loaded.create);
      } catch (error) {
        if (!(error instanceof ModuleLoadError)) throw error;
        lines.push(`${scenarioFile}: ${pointer}: ${error.message}`);
      }
    }
  }
  if (lines.length > 0) return { ok: false, lines };
  return {
    ok: true,
    lookup: (module) => {
      const f = factories.get(module);
      if (f === undefined) throw new RangeError(`user module ${module} was not loaded`);
      return f;
    },
  };
}
