import type { z } from 'zod';
import type { SimTime, Simulation } from '../../engine/index.ts';
import type { Network } from '../net/network.ts';
import type { TraceRead } from '../trace/open.ts';
import type { TraceSource } from '../trace/record.ts';
import type { Probe } from './probe.ts';
import type { TraceCollector } from './trace-collector.ts';
import type { UserFactory } from './user-algorithm.ts';

/** A reference from one component's config to another component, for cross-reference checks. */
export interface Reference {
  /** JSON path inside the component's config, e.g. ['upstream'] or ['backends', 2]. */
  readonly path: readonly (string | number)[];
  /** The referenced id: a component id ('app'), or one replica ('app[3]'). */
  readonly id: string;
  /** Whether a replicated group may be named here (a balancer's backends) or one actor is needed. */
  readonly acceptsGroup: boolean;
  /** True when requests flow along this reference (used to find routing cycles). */
  readonly carriesRequests: boolean;
}

/** What build() gets to create the actors of one component instance. */
export interface BuildEnv {
  readonly sim: Simulation;
  readonly network: Network;
  /** Duration of the measured run in µs (after warm-up), for models that schedule ahead. */
  readonly duration: SimTime;
  /** The actor ids behind a component id: [id] for a single one, ['app[0]', …] for a group. */
  members(id: string): readonly string[];
  /** The probe that records this actor's metrics under its component id. */
  probe(componentId: string, actorId: string): Probe;
  /** The `type` of a component id in the scenario ('database', 'kv-store'); undefined if absent. */
  typeOf?(componentId: string): string | undefined;
  /** Probes of any component, keyed by actor id; used by components that report extra metrics. */
  readonly probes: ReadonlyMap<string, Probe>;
  /** Set when requests are traced (run option traceRequests): clients record spans into it. */
  readonly tracer?: TraceCollector;
  /** The factory of a user algorithm module named in the scenario (the CLI loads it). */
  readonly userAlgorithm?: (module: string) => UserFactory;
  /** Opens a trace file for a replaying client (the CLI supplies it; models do no I/O). */
  readonly openTrace?: (file: string, read: TraceRead) => TraceSource;
}

/** One instance to build: a single component or one replica of a group. */
export interface Instance<C> {
  /** The component id as written in the scenario ('app'). */
  readonly componentId: string;
  /** The actor id: the component id, or 'app[3]' for replica 3 of a group. */
  readonly actorId: string;
  /** Replica index (0 when not replicated) and the group size. */
  readonly replica: number;
  readonly replicas: number;
  readonly config: C;
}

/**
 * A component family the scenario format knows: its `type` name, its config schema (the
 * component object without `type` and `replicas`), the references it makes, and how to build
 * the actors of one instance. The scenario format is assembled from these, so it cannot drift.
 */
export interface ComponentKind<C = any> {
  /** The `type` value in a scenario, e.g. 'app-server'. */
  readonly type: string;
  /** One sentence for docs and the JSON Schema. */
  readonly description: string;
  /** The config schema: a z.strictObject without `type` and `replicas`. */
  readonly schema: z.ZodObject<any>;
  /** Whether a scenario may replicate it with "replicas": N. */
  readonly replicable: boolean;
  /** The other components its config names. */
  references(config: C): readonly Reference[];
  /** Spawns the actor for one instance (and records with env.probe). */
  build(instance: Instance<C>, env: BuildEnv): void;
}

/** Defines a component kind with its config type inferred from the schema. */
export function defineComponent<S extends z.ZodObject<any>>(
  kind: Omit<ComponentKind<z.output<S>>, 'schema'> & { readonly schema: S },
): ComponentKind<z.output<S>> {
  return kind;
}
