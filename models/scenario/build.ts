import { type RunOutcome, type SimTime, Simulation, toSeconds } from '../../engine/index.ts';
import type { BuildEnv, ComponentKind } from '../core/component.ts';
import { Probe } from '../core/probe.ts';
import { TraceCollector } from '../core/trace-collector.ts';
import { Network } from '../net/network.ts';
import { COMPONENT_KINDS } from '../registry.ts';
import { addDerivedFigures } from './figures.ts';
import type { Scenario } from './format.ts';
import {
  type ComponentResult,
  type ComponentSeries,
  componentResult,
  componentSeries,
} from './results.ts';
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
  /** Component kinds to build from (default: the registry). */
  readonly kinds?: readonly ComponentKind[];
  /** Keep spans of this many finished requests (sampled and slowest); omitted: no tracing. */
  readonly traceRequests?: number;
  /** Opens trace files that clients replay by reference (cli/ supplies it: it is I/O). */
  readonly openTrace?: BuildEnv['openTrace'];
  /** Factories of user algorithm modules by module path (cli/ bundles and loads them). */
  readonly userAlgorithm?: BuildEnv['userAlgorithm'];
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
  /** The request trace collector, when options.traceRequests was given. */
  readonly tracer: TraceCollector | undefined;
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
  const tracer =
    options.traceRequests === undefined ? undefined : new TraceCollector(options.traceRequests);
  const env: BuildEnv = {
    ...(tracer === undefined ? {} : { tracer }),
    ...(options.openTrace === undefined ? {} : { openTrace: options.openTrace }),
    ...(options.userAlgorithm === undefined ? {} : { userAlgorithm: options.userAlgorithm }),
    sim,
    network,
    duration: scenario.run.duration,
    members(id: string): readonly string[] {
      const group = members.get(id);
      if (group !== undefined) return group;
      return [id];
    },
    typeOf(id: string): string | undefined {
      if (!Object.hasOwn(scenario.components, id)) return undefined;
      return (scenario.components[id] as { type: string }).type;
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
    const kind = (options.kinds ?? COMPONENT_KINDS).find((k) => k.type === config.type);
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
  return { sim, env, probes, kinds, tracer };
}

/** Where a replication is: simulated clock, end time and events so far. */
export interface RunProgress {
  readonly now: SimTime;
  readonly end: SimTime;
  readonly events: number;
}

/**
 * One replication that can be advanced in slices (so a caller can show progress or stop
 * between slices). Results do not depend on the slice sizes: events run in the same order.
 */
export class ScenarioRun {
  readonly built: BuiltScenario;
  private readonly scenario: Scenario;
  private readonly options: RunScenarioOptions;
  private inWarmup: boolean;
  private done = false;
  private events = 0;
  private outcome: RunOutcome = { reason: 'until', partial: false, events: 0, now: 0 };
  private wallStart: number | undefined;

  constructor(scenario: Scenario, options: RunScenarioOptions = {}) {
    this.scenario = scenario;
    this.options = options;
    this.built = buildScenario(scenario, options);
    this.inWarmup = scenario.run.warmup > 0;
  }

  /** True once the run reached its end time, emptied, was stopped, or hit a budget. */
  get finished(): boolean {
    return this.done;
  }

  /** The simulated clock, end time and events delivered so far. */
  progress(): RunProgress {
    const { warmup, duration } = this.scenario.run;
    return { now: this.built.sim.now, end: warmup + duration, events: this.events };
  }

  /** Delivers at most `sliceEvents` more events; returns true when the run is over. */
  advance(sliceEvents = Number.POSITIVE_INFINITY): boolean {
    if (this.done) return true;
    const { sim, probes } = this.built;
    const { warmup, duration, maxEvents, maxWallSeconds } = this.scenario.run;
    const wall = this.options.wallClock;
    let limit = sliceEvents;
    let budgetBound = false;
    if (maxEvents !== undefined && maxEvents - this.events <= limit) {
      limit = maxEvents - this.events;
      budgetBound = true;
    }
    const wallBudget: { maxWallSeconds?: number; wallClock?: () => number } = {};
    if (wall !== undefined && maxWallSeconds !== undefined) {
      this.wallStart ??= wall();
      wallBudget.maxWallSeconds = maxWallSeconds - (wall() - this.wallStart);
      wallBudget.wallClock = wall;
    }
    const until = this.inWarmup ? warmup : warmup + duration;
    const out = sim.run({
      until,
      ...(limit === Number.POSITIVE_INFINITY ? {} : { maxEvents: limit }),
      ...wallBudget,
    });
    this.events += out.events;
    this.outcome = out;
    if (out.reason === 'maxEvents' && !budgetBound) return false;
    if (this.inWarmup && (out.reason === 'until' || out.reason === 'empty')) {
      for (const p of probes.values()) p.reset(sim.now);
      this.built.tracer?.reset();
      this.inWarmup = false;
      return false;
    }
    this.done = true;
    return true;
  }

  /** Runs to the end (or a budget) and returns the results. */
  finish(): RunResult {
    while (!this.advance()) {
      // advance() returns false only at the warm-up boundary or a slice end
    }
    const { sim, probes, kinds } = this.built;
    const now = sim.now;
    const components: Record<string, ComponentResult> = {};
    const grouped = groupByComponent(probes);
    for (const [id, list] of grouped) {
      components[id] = componentResult(kinds.get(id)?.type ?? 'unknown', list, now);
    }
    addDerivedFigures(this.scenario, components, grouped);
    return {
      scenario: this.scenario.name,
      seed: this.options.seed ?? this.scenario.seed,
      duration: toSeconds(Math.max(0, now - this.scenario.run.warmup)),
      warmup: toSeconds(this.scenario.run.warmup),
      completed: !this.outcome.partial,
      stoppedBy: this.outcome.reason,
      events: this.events,
      fingerprint: sim.fingerprint(),
      components,
    };
  }

  /** Per-window series per component (replicas merged), for plots and CSV. */
  series(): ComponentSeries[] {
    return [...groupByComponent(this.built.probes)].map(([id, list]) => componentSeries(id, list));
  }
}

/** Probes grouped by component id, ids sorted by code unit. */
export function groupByComponent(probes: ReadonlyMap<string, Probe>): Map<string, Probe[]> {
  const byComponent = new Map<string, Probe[]>();
  for (const p of probes.values()) {
    const list = byComponent.get(p.componentId) ?? [];
    list.push(p);
    byComponent.set(p.componentId, list);
  }
  const ids = [...byComponent.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(ids.map((id) => [id, byComponent.get(id)!]));
}

/** Runs one replication of a validated scenario and returns its results. */
export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): RunResult {
  return new ScenarioRun(scenario, options).finish();
}
