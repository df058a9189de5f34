import type { Probe } from '../core/probe.ts';
import type { Scenario } from './format.ts';
import { isTrigger, recoveries } from './recovery.ts';
import { type ComponentResult, componentSeries } from './results.ts';

interface AutoscaleExtras {
  readonly activeMean: number;
}

/** The earliest scheduled DNS record change (µs from time 0), if any authoritative has one. */
function firstRecordChange(scenario: Scenario): number | undefined {
  let first: number | undefined;
  for (const c of Object.values(scenario.components)) {
    const records = (c as { records?: { changes?: { at: number }[] }[] }).records;
    for (const r of records ?? [])
      for (const ch of r.changes ?? [])
        first = Math.min(first ?? Number.POSITIVE_INFINITY, ch.at + scenario.run.warmup);
  }
  return first;
}

/**
 * Per client host, seconds from the first DNS record change to its first request to a new
 * address (null: never switched): `extras.dnsSwitch`, keyed by replica id.
 */
function addDnsSwitch(scenario: Scenario, components: Record<string, ComponentResult>): void {
  const change = firstRecordChange(scenario);
  if (change === undefined) return;
  for (const [id, c] of Object.entries(components)) {
    const per = c.extras?.perReplica as
      | Record<string, { dnsSwitchedAt?: number | null; dnsFirstAddress?: string | null }>
      | undefined;
    if (per === undefined) continue;
    const dnsSwitch: Record<string, number | null> = {};
    for (const [actor, r] of Object.entries(per)) {
      if (r.dnsFirstAddress === undefined) continue;
      const at = r.dnsSwitchedAt;
      dnsSwitch[actor] =
        at === null || at === undefined ? null : Number((at - change / 1e6).toFixed(6));
    }
    if (Object.keys(dnsSwitch).length > 0)
      components[id] = { ...c, extras: { ...c.extras, dnsSwitch } };
  }
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
 * every pre-built replica), and per client host the time from a DNS record change to its
 * switch to the new address (`extras.dnsSwitch`).
 */
export function addDerivedFigures(
  scenario: Scenario,
  components: Record<string, ComponentResult>,
  probesById: ReadonlyMap<string, readonly Probe[]>,
): void {
  const faults = scenario.timeline.some(isTrigger);
  if (faults) {
    for (const [id, probes] of probesById) {
      const c = components[id];
      if (c === undefined || !probes.some((p) => p.series.hist !== undefined)) continue;
      const end = (scenario.run.warmup + scenario.run.duration) / 1e6;
      const series = componentSeries(id, probes);
      const list = recoveries(series, scenario.timeline, scenario.run.warmup, end);
      if (list.length > 0) components[id] = { ...c, recovery: list };
    }
  }
  addDnsSwitch(scenario, components);
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
