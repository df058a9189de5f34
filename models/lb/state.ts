import type {
  ActorRef,
  Context,
  Distribution,
  Message,
  SimTime,
  TimerHandle,
} from '../../engine/index.ts';
import type { BuildEnv } from '../core/component.ts';
import type { Probe } from '../core/probe.ts';
import type { HttpRequest } from '../http/messages.ts';
import type { ActiveReplicas } from './active-replicas.ts';
import type { Balancer } from './algorithm.ts';
import type { BackendSet } from './backend-set.ts';
import type { LoadBalancerConfig } from './config.ts';
import type { Health } from './health.ts';
import type { BackendSpread } from './spread.ts';

/** A client request the balancer holds until it answers it. */
export interface ClientEntry {
  readonly req: HttpRequest;
  readonly replyTo: ActorRef;
  readonly tag: number;
  readonly arrivedAt: SimTime;
  /** When the first attempt went out (-1 before), for the retry time limit. */
  firstSentAt: SimTime;
  /** Backends already tried, in order. */
  readonly tried: number[];
  /** L4: the client connection this request travels on. */
  readonly connKey: string;
  /** While waiting for a backend slot: when it queued and its timeout timer. */
  queuedAt: SimTime;
  queueTimer: TimerHandle;
}

/** One attempt in flight to a backend, keyed by the balancer's upstream tag. */
export interface Attempt {
  readonly entry: ClientEntry;
  readonly backend: number;
  readonly sentAt: SimTime;
  readonly timer: TimerHandle;
}

/** One active health check in flight. */
export interface Check {
  readonly backend: number;
  readonly timer: TimerHandle;
}

/** An L4 client connection pinned to a backend. */
export interface Connection {
  backend: number;
  lastUsed: SimTime;
}

/** The balancer actor's state. */
export interface LbState {
  readonly config: LoadBalancerConfig;
  readonly componentId: string;
  readonly set: BackendSet;
  readonly health: Health;
  readonly balancer: Balancer;
  /** Requests per backend, for a sticky balancer without autoscaling (extras.spread). */
  readonly spread?: BackendSpread | undefined;
  readonly probe: Probe;
  readonly env: BuildEnv;
  readonly overhead: Distribution;
  refs: ActorRef[];
  readonly attempts: Map<number, Attempt>;
  readonly checks: Map<number, Check>;
  /** Backends with a check in flight (no second check is sent meanwhile). */
  readonly checking: Uint8Array;
  /** FIFO of requests waiting for a backend slot (entries leave on timeout too). */
  queue: ClientEntry[];
  readonly conns: Map<string, Connection>;
  nextTag: number;
  checkSeq: number;
  /** Client requests held (arrived, not yet answered). */
  held: number;
  crashed: boolean;
  /** Autoscaler bookkeeping. */
  readonly scaler: {
    provisioning: Uint8Array;
    lastChange: SimTime;
    lastTime: SimTime;
    lastArea: Float64Array;
    /** The active replica count over time (only with an autoscaler). */
    active?: ActiveReplicas;
  };
}

/** ctx.after for a typed timer message (keeps the message's own type checked). */
export function later<M extends Message>(ctx: Context, delay: number, message: M): TimerHandle {
  return ctx.after(delay, message);
}

/** A timer message naming one upstream or check tag. */
export interface TagMessage {
  readonly type: string;
  readonly tag: number;
}
