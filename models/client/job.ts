import type { ActorRef, Context, SimTime, TimerHandle } from '../../engine/index.ts';
import type { IdMap } from '../core/id-map.ts';
import type { Probe } from '../core/probe.ts';
import type { TraceCollector, TraceSpan } from '../core/trace-collector.ts';
import type { StubCache } from '../dns/stub-cache.ts';
import {
  type HttpRequest,
  newPhases,
  PHASE_INDEX,
  type Phase,
  type WriteLedger,
} from '../http/messages.ts';
import type { Network } from '../net/network.ts';
import type { ClientBrowserCache } from './browser.ts';
import type { CommonClientConfig } from './config.ts';
import type { CookieJar } from './cookies.ts';
import type { PreflightCache } from './cors.ts';
import type { RequestSpec } from './mix.ts';
import type { Conn, Pool, PoolUser } from './pool.ts';
import type { RetryBudget } from './retry-budget.ts';

/** Where a user request is in its current attempt. */
export type Step = 'dns' | 'connect' | 'preflight' | 'login' | 'request' | 'backoff';

/** One user request over all its attempts; ends exactly once (finish()). */
export interface Job extends PoolUser {
  /** Id of the first attempt (the request's origin id). */
  readonly id: number;
  readonly spec: RequestSpec;
  readonly clientIp: number;
  /** Key in the client's browser cache (GET with a browser cache), else undefined. */
  readonly browserKey: string | undefined;
  readonly intendedAt: SimTime;
  /** Closed-loop user slot, or -1 for open loop. */
  readonly slot: number;
  attempt: number;
  step: Step;
  stepStart: SimTime;
  /** Correlation tag of the outstanding http.request, 0 when none. */
  tag: number;
  timer: TimerHandle | undefined;
  pool: Pool<Job> | undefined;
  /** The outstanding attempt (or preflight) request. */
  req: HttpRequest | undefined;
  /** Whether it waits for a free pooled connection (counted in the probe's queue gauge). */
  queued: boolean;
  /** Whether this attempt already logged in again after a 401 (once per attempt). */
  relogged: boolean;
  /** The previous backoff sleep (decorrelated jitter). */
  prevSleep: number;
  /** When the current attempt times out (sent on its requests as `deadline`). */
  deadline: SimTime;
  /** µs per phase over all attempts, indexed by PHASE_INDEX. */
  readonly phases: number[];
  /** Spans of every attempt, only when requests are traced. */
  readonly spans: TraceSpan[] | undefined;
  /** Which attempts applied a write (non-safe methods; shared by all attempts). */
  readonly ledger?: WriteLedger | undefined;
}

/** A DNS query in flight, shared by every job waiting for the same name. */
export interface PendingQuery {
  readonly tag: number;
  readonly name: string;
  readonly waiters: Job[];
  timer: TimerHandle;
}

/** The state of one client actor (open or closed loop). */
export interface ClientState {
  readonly config: CommonClientConfig;
  readonly componentId: string;
  readonly network: Network;
  readonly probe: Probe;
  target: ActorRef;
  resolver: ActorRef;
  /** Ids are base + n: base = actor ref × 2^32, unique per simulation without shared state. */
  base: number;
  nextId: number;
  nextTag: number;
  readonly jobs: IdMap<Job>;
  /** Outstanding http.request tags. */
  readonly inflight: IdMap<Job>;
  readonly pools: Map<ActorRef, Pool<Job>>;
  readonly conns: Map<number, Conn>;
  /** Browser and OS stub DNS caches (per client actor), in lookup order; undefined when off. */
  readonly dnsBrowser: StubCache | undefined;
  readonly dnsOs: StubCache | undefined;
  /** Private HTTP cache (config.browserCache), built at sim.start. */
  browser: ClientBrowserCache | undefined;
  readonly dnsPending: Map<string, PendingQuery>;
  readonly dnsTags: Map<number, string>;
  readonly preflights: PreflightCache;
  /** Cookie jars by user (by client address for anonymous requests), made on first use. */
  readonly jars: Map<number, CookieJar>;
  readonly budget: RetryBudget | undefined;
  /** Where finished traced requests go (undefined: tracing off, no spans recorded). */
  readonly tracer: TraceCollector | undefined;
  /** Load factor from the timeline. */
  factor: number;
  /** Called once per finished job (the closed loop schedules the user's next request). */
  onFinish: ((state: ClientState, job: Job, ctx: Context) => void) | undefined;
}

/** A fresh id, unique in the simulation. */
export function newId(state: ClientState): number {
  return state.base + state.nextId++;
}

/** Charges the time since the step began to `phase` and starts a new step. */
export function closeStep(job: Job, phase: Phase, now: SimTime, next: Step): void {
  job.phases[PHASE_INDEX[phase]]! += now - job.stepStart;
  job.spans?.push({ component: '', phase, start: job.stepStart, end: now });
  job.step = next;
  job.stepStart = now;
}

/** Adds µs to one phase of the job. */
export function charge(job: Job, phase: Phase, micros: number): void {
  if (micros > 0) job.phases[PHASE_INDEX[phase]]! += micros;
}

/** A zeroed phase vector. */
export function emptyPhases(): number[] {
  return newPhases();
}
