import type { Scenario } from '../models/scenario/format.ts';
import { toPointer } from '../models/scenario/issues.ts';

/**
 * Things a valid scenario probably did not mean, as `FILE: /pointer: warning: …` lines for
 * stderr (the run still goes ahead; exit codes do not change): an app server without routes
 * answers every request with 404.
 */
export function scenarioWarnings(file: string, scenario: Scenario): string[] {
  const out: string[] = [];
  for (const [id, c] of Object.entries(scenario.components)) {
    const component = c as { type?: unknown; routes?: unknown };
    if (
      component.type === 'app-server' &&
      Array.isArray(component.routes) &&
      component.routes.length === 0
    )
      out.push(
        `${file}: ${toPointer(['components', id, 'routes'])}: warning: app server "${id}" has no routes, so it answers every request with 404 (docs/scenario-format.md, app-server routes)`,
      );
  }
  return out;
}
