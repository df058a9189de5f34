import type { Probe } from '../core/probe.ts';
import type { Scenario } from './format.ts';
import { recoveries } from './recovery.ts';
import { type ComponentResult, componentSeries } from './results.ts';

interface AutoscaleExtras {
  readonly activeMean: number;
}

/** The backend group a load balancer names by a plain string (`"backends": "app"`), if any. */
function groupOf(config: unknown): string | undefined {
  const b = (config as { backends?: unknown }).backends;
  return typeof b === 'string' ? b.replace(/\[\d+\]$/, '') : undefined;
}

/**
 * Figures that need more than one component's counters, added to the component results of a
 * finished replication: each client's time to recover from every timeline fault (from its
 * per-window p99 and 5xx ratio, `recovery`), and for a group scaled by a balancer's
 * autoscaler, utilisation over the replicas that were active (`ratios.activeUtilisation` =
 * mean busy ÷ capacity of the time-averaged active count, where `utilisation` divides by
 * every pre-built replica).
 */
export function addDerivedFigures(
  scenario: Scenario,
  components: Record<string, ComponentResult>,
  probesById: ReadonlyMap<string, readonly Probe[]>,
): void {
  const faults = scenario.timeline.some((e) => e.action !== 'load');
  if (faults) {
    for (const [id, probes] of probesById) {
      const c = components[id];
      if (c === undefined || !probes.some((p) => p.series.hist !== undefined)) continue;
      const list = recoveries(
        componentSeries(id, probes),
        scenario.timeline,
        scenario.run.warmup,
      );
      if (list.length > 0) components[id] = { ...c, recovery: list };
    }
  }
  for (const [id, c] of Object.entries(components)) {
    const auto = c.extras?.autoscale as AutoscaleExtras | undefined;
    if (auto === undefined || !(auto.activeMean > 0)) continue;
    const group = groupOf(scenario.components[id]);
    const g = group === undefined ? undefined : components[group];
    if (g === undefined || group === undefined) continue;
    const active = Math.min(auto.activeMean, g.replicas);
    components[group] = {
      ...g,
      ratios: { ...g.ratios, activeUtilisation: (g.utilisation * g.replicas) / active },
    };
  }
}
