// Wires a load balancer between a Poisson source and exponential servers, without a scenario file.
import type { Simulation } from '../../engine/index.ts';
import { loadBalancerSchema } from '../../models/lb/config.ts';
import { loadBalancerKind } from '../../models/lb/load-balancer.ts';
import type { LbState } from '../../models/lb/state.ts';
import {
  harness,
  type ServerState,
  type SourceState,
  serverBehavior,
  serverState,
  sourceBehavior,
  sourceState,
} from './lb-actors.ts';

/** One balancer test bench: `n` servers in group 'app', a balancer 'lb' and a source 'src'. */
export interface LbBench {
  readonly sim: Simulation;
  readonly source: SourceState;
  readonly servers: ServerState[];
  lb(): LbState;
}

/** Options: per-server rate λ (per second), mean service (µs), run length and balancer config. */
export interface LbBenchOptions {
  readonly seed?: number;
  readonly n: number;
  readonly ratePerServer: number;
  readonly meanService: number;
  readonly until: number;
  readonly warmup?: number;
  readonly sessions?: number;
  readonly lb: Record<string, unknown>;
  /** Mean service multiplier per server index (slow servers). */
  readonly slow?: Record<number, number>;
}

/** Builds (but does not run) the bench. */
export function lbBench(o: LbBenchOptions): LbBench {
  const { sim, env } = harness(o.seed ?? 1, { app: o.n });
  const servers: ServerState[] = [];
  for (let i = 0; i < o.n; i++) {
    const id = `app[${i}]`;
    const s = serverState(o.meanService * (o.slow?.[i] ?? 1), env.probe('app', id));
    servers.push(s);
    sim.spawn(id, serverBehavior, s);
  }
  const config = loadBalancerSchema.parse({ backends: 'app', ...o.lb });
  loadBalancerKind.build(
    { componentId: 'lb', actorId: 'lb', replica: 0, replicas: 1, config },
    env,
  );
  const source = sourceState('lb', o.ratePerServer * o.n, o.until, o.warmup ?? 0, o.sessions ?? 0);
  sim.spawn('src', sourceBehavior, source);
  return { sim, source, servers, lb: () => sim.stateOf<LbState>(sim.find('lb')!) };
}
