import { type RunOutcome, type SimTime, Simulation, toSeconds } from '../../engine/index.ts';
import type { BuildEnv, ComponentKind } from '../core/component.ts';
import { Probe } from '../core/probe.ts';
import { Network } from '../net/network.ts';
import { findKind } from '../registry.ts';
import type { Scenario } from './format.ts';
import { type ComponentResult, componentResult } from './results.ts';
import { timelineBehavior, timelineState } from './timeline.ts';

/** Options for one replication of a scenario. */
export interface RunScenarioOptions {
  /** Overrides the scenario's seed (replications use derived seeds). */
  readonly seed?: number;
  /** Event queue implementation (results must not depend on it). */
  readonly queue?: 'typed-heap' | 'heap-js';
  /** Reads wall-clock seconds, for the maxWallSeconds budget (cli/ supplies it). */
  readonly wallClock?: () => number;
  /** Called for every delivered event (tracing, diffing runs). */
  readonly trace?: (time: SimTime, actorId: string, type: string) => void;
}

/** The results of one replication (the results contract, docs/results.md). */
export interface RunResult {
  readonly scenario: string;
  readonly seed: number;
  /** Simulated seconds measured (after warm-up) and of warm-up. */
  readonly duration: number;
  readonly warmup: number;
  /** True when the run reached its end time; false when a budget stopped it (partial results). */
  readonly completed: boolean;
  readonly stoppedBy: RunOutcome['reason'];
  readonly events: number;
  readonly fingerprint: string;
  /** Per component id (sorted), replicas merged. */
  readonly components: Readonly<Record<string, ComponentResult>>;
}

/** The ids of a component's actors: [id], or id[0] … id[n-1] for a replicated group. */
export function memberIds(id: string, replicas: number | undefined): string[] {
  if (replicas === undefined || replicas <= 1) return [id];
  return Array.from({ length: replicas }, (_, i) => `${id}[${i}]`);
}

/** Everything built for one replication, before it runs (exposed for tests and tools). */
export interface BuiltScenario {
  readonly sim: Simulation;
  readonly env: BuildEnv;
  readonly probes: ReadonlyMap<string, Probe>;
  readonly kinds: ReadonlyMap<string, ComponentKind>;
}

/** Spawns every component of a validated scenario; ids are built in sorted order. */
export function buildScenario(scenario: Scenario, options: RunScenarioOptions = {}): BuiltScenario {
  const seed = options.seed ?? scenario.seed;
  const sim = new Simulation({
    seed,
    ...(options.queue === undefined ? {} : { queue: options.queue }),
    ...(options.trace === undefined ? {} : { trace: options.trace }),
  });
  const network = new Network(sim, scenario.links);
  const probes = new Map<string, Probe>();
  const ids = Object.keys(scenario.components).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const members = new Map<string, string[]>();
  for (const id of ids) {
    const c = scenario.components[id]! as { replicas?: number };
    members.set(id, memberIds(id, c.replicas));
  }
  const env: BuildEnv = {
    sim,
    network,
    duration: scenario.run.duration,
    members(id: string): readonly string[] {
      const group = members.get(id);
      if (group !== undefined) return group;
      return [id];
    },
    probe(componentId: string, actorId: string): Probe {
      let p = probes.get(actorId);
      if (p === undefined) {
        p = new Probe(componentId, actorId, 0, scenario.run.window);
        probes.set(actorId, p);
      }
      return p;
    },
    probes,
  };
  const kinds = new Map<string, ComponentKind>();
  for (const id of ids) {
    const config = scenario.components[id]! as { type: string; replicas?: number };
    const kind = findKind(config.type);
    if (kind === undefined) throw new Error(`unknown component type '${config.type}'`);
    kinds.set(id, kind);
    const group = members.get(id)!;
    group.forEach((actorId, replica) => {
      kind.build({ componentId: id, actorId, replica, replicas: group.length, config }, env);
    });
  }
  sim.spawn(
    'timeline',
    timelineBehavior,
    timelineState(scenario.timeline, env, scenario.run.warmup),
  );
  return { sim, env, probes, kinds };
}

/** Runs one replication of a validated scenario and returns its results. */
export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): RunResult {
  const built = buildScenario(scenario, options);
  const { sim, probes, kinds } = built;
  const { warmup, duration, maxEvents, maxWallSeconds } = scenario.run;
  const budgets = {
    ...(maxEvents === undefined ? {} : { maxEvents }),
    ...(maxWallSeconds === undefined ? {} : { maxWallSeconds }),
    ...(options.wallClock === undefined ? {} : { wallClock: options.wallClock }),
  };
  let outcome: RunOutcome = { reason: 'until', partial: false, events: 0, now: 0 };
  let events = 0;
  if (warmup > 0) {
    outcome = sim.run({ ...budgets, until: warmup });
    events += outcome.events;
    for (const p of probes.values()) p.reset(sim.now);
  }
  if (!outcome.partial) {
    const left = maxEvents === undefined ? {} : { maxEvents: maxEvents - events };
    outcome = sim.run({ ...budgets, ...left, until: warmup + duration });
    events += outcome.events;
  }
  const now = sim.now;
  const byComponent = new Map<string, Probe[]>();
  for (const p of probes.values()) {
    const list = byComponent.get(p.componentId) ?? [];
    list.push(p);
    byComponent.set(p.componentId, list);
  }
  const components: Record<string, ComponentResult> = {};
  for (const id of [...byComponent.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    components[id] = componentResult(kinds.get(id)?.type ?? 'unknown', byComponent.get(id)!, now);
  }
  return {
    scenario: scenario.name,
    seed: options.seed ?? scenario.seed,
    duration: toSeconds(Math.max(0, now - warmup)),
    warmup: toSeconds(warmup),
    completed: !outcome.partial,
    stoppedBy: outcome.reason,
    events,
    fingerprint: sim.fingerprint(),
    components,
  };
}
