import { dirname } from 'node:path';
import type { UserFactory } from '../models/core/user-algorithm.ts';
import { loadAlgorithmModule, ModuleLoadError } from './algorithm-module.ts';

/** Loaded user modules of a scenario, or the lines saying why one could not be loaded. */
export type UserModules =
  | { readonly ok: true; readonly lookup: (module: string) => UserFactory }
  | { readonly ok: false; readonly lines: string[] };

/**
 * Bundles and loads every user algorithm module a scenario names (`"algorithm": { "module": … }`
 * on any component), relative to the scenario file, before anything is built: loading is I/O,
 * so it happens here and the models get factories.
 */
export async function loadUserModules(
  scenario: { components: Record<string, unknown> },
  scenarioFile: string,
): Promise<UserModules> {
  const factories = new Map<string, UserFactory>();
  const lines: string[] = [];
  for (const [id, c] of Object.entries(scenario.components)) {
    const algorithm = (c as { algorithm?: { module?: unknown } }).algorithm;
    const module = algorithm?.module;
    if (typeof module !== 'string' || factories.has(module)) continue;
    try {
      const loaded = await loadAlgorithmModule(module, dirname(scenarioFile));
      factories.set(module, loaded.create);
    } catch (error) {
      if (!(error instanceof ModuleLoadError)) throw error;
      lines.push(`${scenarioFile}: /components/${id}/algorithm/module: ${error.message}`);
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
