import { Simulation } from '../../engine/index.ts';
import { closedClientKind } from '../../models/client/closed-loop.ts';
import { closedClientSchema, openClientSchema } from '../../models/client/config.ts';
import { openClientKind } from '../../models/client/open-loop.ts';
import type { BuildEnv } from '../../models/core/component.ts';
import { Probe } from '../../models/core/probe.ts';
import { linkSchema, Network } from '../../models/net/network.ts';
import { type ComponentResult, componentResult } from '../../models/scenario/results.ts';
import { type EchoOptions, type EchoState, echoBehavior, echoState } from './echo-server.ts';

/** A small simulation with links, an echo server and clients built from raw configs. */
export class Harness {
  readonly sim: Simulation;
  readonly network: Network;
  readonly probes = new Map<string, Probe>();
  readonly env: BuildEnv;

  constructor(seed = 1, links: readonly unknown[] = []) {
    this.sim = new Simulation({ seed });
    this.network = new Network(
      this.sim,
      links.map((l) => linkSchema.parse(l)),
    );
    const probes = this.probes;
    this.env = {
      sim: this.sim,
      network: this.network,
      duration: 1e12,
      members: (id) => [id],
      probe(componentId, actorId) {
        let p = probes.get(actorId);
        if (p === undefined) {
          p = new Probe(componentId, actorId, 0);
          probes.set(actorId, p);
        }
        return p;
      },
      probes,
    };
  }

  /** Spawns an echo server under `id` and returns its (live) state. */
  echo(id: string, opts: Omit<EchoOptions, 'network'> = {}): EchoState {
    const state = echoState({ ...opts, network: this.network });
    this.sim.spawn(id, echoBehavior, state);
    return state;
  }

  /** Builds a client.open from a raw (unparsed) config. */
  open(id: string, raw: Record<string, unknown>): void {
    const config = openClientSchema.parse(raw);
    openClientKind.build(
      { componentId: id, actorId: id, replica: 0, replicas: 1, config },
      this.env,
    );
  }

  /** Builds a client.closed from a raw (unparsed) config. */
  closed(id: string, raw: Record<string, unknown>): void {
    const config = closedClientSchema.parse(raw);
    closedClientKind.build(
      { componentId: id, actorId: id, replica: 0, replicas: 1, config },
      this.env,
    );
  }

  /** Runs until `until` µs (or until no events remain). */
  run(until?: number): void {
    this.sim.run(until === undefined ? {} : { until });
  }

  /** The client's merged result at the current time. */
  result(id: string): ComponentResult {
    return componentResult('client', [this.probes.get(id)!], this.sim.now);
  }

  /** A named counter of a probe (0 when absent). */
  counter(id: string, name: string): number {
    return this.probes.get(id)!.counters.get(name) ?? 0;
  }
}
