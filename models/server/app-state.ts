import {
  type ActorRef,
  LatencyHistogram,
  type SimTime,
  type TimerHandle,
} from '../../engine/index.ts';
import type { LocalCache } from '../cache/local.ts';
import type { BuildEnv } from '../core/component.ts';
import { Fifo } from '../core/fifo.ts';
import { IdMap } from '../core/id-map.ts';
import type { Probe } from '../core/probe.ts';
import type { HttpRequestMessage, PageReply, ResponseHeaders } from '../http/messages.ts';
import type { AppServerConfig } from './app-schema.ts';
import { withSessionOps } from './app-session.ts';
import { CpuScheduler } from './cpu.ts';
import { findGateKind, type GateKind, type RequestGate } from './gate.ts';
import { compileMiddleware, type Op } from './ops.ts';
import { ConnectionPool } from './pool.ts';
import { type CompiledRoute, compileRoutes, type RouteInfo, RouteMemo } from './router.ts';

/** One request inside the app server, from arrival to its single completion. */
export interface Job {
  readonly id: number;
  readonly msg: HttpRequestMessage;
  readonly arrivedAt: SimTime;
  startedAt: SimTime;
  /** Worker index once started; -1 while in the backlog. */
  worker: number;
  /** Status a success will produce (set by the router). */
  status: number;
  headers: ResponseHeaders;
  done: boolean;
  timeout: TimerHandle;
  /** Tags of this job's pending waits (timers, pool waits, store calls). */
  readonly tags: number[];
  /** CPU tasks submitted and not yet finished. */
  inCpu: number;
  /** Gates that saw this request and want to hear how it ended (allocated on first use). */
  gates?: RequestGate[];
  /** µs spent waiting on store calls (recorded as 'database'/'cache' phases, not 'service'). */
  callTime: number;
  /** The router's and route filters' decisions for this request (set when it starts). */
  route: RouteInfo | undefined;
  /** The Idempotency-Key this job claimed, reported to its store when it ends. */
  idem?: { readonly store: string; readonly key: number } | undefined;
  /** The page a list step served (sent with the response). */
  page?: PageReply | undefined;
  /** The session id its cookie named (sessions config), once read. */
  session?: number;
}

/** A frame of ops being run: a step list and the index of the next op. */
export interface Frame {
  readonly ops: readonly Op[];
  pc: number;
}

/** A line of execution of a job; parallel steps fork child fibers joined by their parent. */
export interface Fiber {
  readonly job: Job;
  readonly stack: Frame[];
  readonly join: { readonly fiber: Fiber; remaining: number } | undefined;
}

/** Something a fiber waits for, keyed by tag. */
export type Pending =
  | { readonly kind: 'wait'; readonly fiber: Fiber; readonly timer: TimerHandle }
  | {
      readonly kind: 'pool';
      readonly fiber: Fiber;
      readonly op: Op & { k: 'call' };
      readonly timer: TimerHandle;
    }
  | {
      readonly kind: 'call';
      /** When the call was sent, for the request's database/cache phase. */
      readonly sentAt: SimTime;
      readonly fiber: Fiber;
      readonly op: Op & { k: 'call' };
      readonly timer: TimerHandle;
      readonly pooled: boolean;
    };

/** One worker process (gunicorn worker, uvicorn worker): its busy slots and whether it is up. */
export interface Worker {
  busy: number;
  down: boolean;
  /** Its jobs by id. */
  readonly jobs: IdMap<Job>;
}

/** The app-server actor's state. */
export interface AppState {
  readonly config: AppServerConfig;
  readonly componentId: string;
  readonly probe: Probe;
  readonly env: BuildEnv;
  readonly pipeline: readonly Op[];
  readonly routes: readonly CompiledRoute[];
  /** What the router and route filters decide, by method and route. */
  readonly routeInfo: RouteMemo<RouteInfo>;
  readonly gates: Map<Op, RequestGate>;
  /** Slots per worker: 1 (sync), threads, or limitConcurrency (event-loop; Infinity if unset). */
  readonly slotsPerWorker: number;
  readonly workers: Worker[];
  readonly backlog: Fifo<Job>;
  readonly jobs: IdMap<Job>;
  readonly pending: IdMap<Pending>;
  readonly cpu: CpuScheduler<Fiber>;
  pools: Map<string, ConnectionPool>;
  readonly refs: Map<string, { readonly refs: ActorRef[]; next: number }>;
  /** Time each started request waited in the backlog, µs (validation: Wq, P_wait). */
  readonly wait: LatencyHistogram;
  /** The replica's in-process cache, built on first use; cleared by a crash. */
  local: LocalCache | undefined;
  /** Simulated time of the last local cache access (its policy's clock). */
  localNow: SimTime;
  down: boolean;
  nextTag: number;
  nextJob: number;
  /** Sessions this replica issued (login routes); ids are actor ref × 2^32 + n. */
  nextSession: number;
}

function collectGates(ops: readonly Op[], into: Op[]): void {
  for (const op of ops) {
    if (op.k === 'gate') into.push(op);
  }
}

/** Builds a fresh pool per configured store id. */
export function makePools(config: AppServerConfig): Map<string, ConnectionPool> {
  const pools = new Map<string, ConnectionPool>();
  for (const [store, p] of Object.entries(config.pools))
    pools.set(store, new ConnectionPool(p.size));
  return pools;
}

/** Builds the initial state of one app-server actor; `gateKinds`: the rateLimit step algorithms. */
export function appServerState(
  config: AppServerConfig,
  componentId: string,
  probe: Probe,
  env: BuildEnv,
  gateKinds: readonly GateKind[],
): AppState {
  const pipeline = compileMiddleware(config.middleware, config.sessions);
  const gateOps: Op[] = [];
  collectGates(pipeline, gateOps);
  const gates = new Map<Op, RequestGate>();
  for (const op of gateOps) {
    if (op.k !== 'gate') continue;
    const algorithm = String(op.config.algorithm);
    const kind = findGateKind(algorithm, gateKinds);
    if (kind === undefined)
      throw new Error(`${componentId}: no rate-limit gate '${algorithm}' is registered`);
    gates.set(op, kind.build(op.config));
  }
  const { model, limitConcurrency } = config.concurrency;
  const slotsPerWorker =
    model === 'sync'
      ? 1
      : model === 'threads'
        ? config.threads
        : (limitConcurrency ?? Number.POSITIVE_INFINITY);
  probe.capacity = config.workers * (Number.isFinite(slotsPerWorker) ? slotsPerWorker : 1000);
  return {
    config,
    componentId,
    probe,
    env,
    pipeline,
    routes: withSessionOps(compileRoutes(config.routes), config.sessions),
    routeInfo: new RouteMemo(),
    gates,
    slotsPerWorker,
    workers: Array.from({ length: config.workers }, () => ({
      busy: 0,
      down: false,
      jobs: new IdMap<Job>(),
    })),
    backlog: new Fifo<Job>(),
    jobs: new IdMap(),
    pending: new IdMap(),
    cpu: new CpuScheduler<Fiber>(config.contention ? config.cores : undefined),
    pools: makePools(config),
    refs: new Map(),
    wait: new LatencyHistogram(),
    local: undefined,
    localNow: 0,
    down: false,
    nextTag: 1,
    nextJob: 1,
    nextSession: 0,
  };
}
