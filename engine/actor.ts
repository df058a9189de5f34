import type { Rng } from './rng.ts';
import type { SimTime } from './time.ts';

/** Anything delivered to an actor: a plain object whose `type` names its handler. */
export interface Message {
  readonly type: string;
}

/** A compact handle to a spawned actor, valid within one simulation. */
export type ActorRef = number;

/** A handle to a pending self-timer, for cancel(); stale handles are ignored safely. */
export type TimerHandle = number;

/**
 * Everything a handler may do. Nothing else can affect the simulation: every interaction is
 * a queued event, even at zero delay.
 */
export interface Context {
  /** This actor's handle. */
  readonly self: ActorRef;
  /** This actor's id as given at spawn time. */
  readonly id: string;
  /** The simulated clock in integer microseconds. */
  readonly now: SimTime;
  /**
   * Delivers `message` to `to` after `delay` µs (rounded to a whole µs; default 0). The handle
   * lets a sender withdraw a message it scheduled to leave later (a crash before it left).
   */
  send(to: ActorRef, message: Message, delay?: number): TimerHandle;
  /** Delivers `message` to this actor after `delay` µs; returns a handle for cancel(). */
  after(delay: number, message: Message): TimerHandle;
  /**
   * Same as after(), for a timeout knob: a delay that repeats and a timer that is usually
   * cancelled. Such timers wait in a FIFO per delay instead of the event queue, which is much
   * cheaper at scale; the delivery order is exactly the one after() gives.
   */
  timeout(delay: number, message: Message): TimerHandle;
  /** Cancels a pending timer or send; one already delivered or cancelled is left alone. */
  cancel(handle: TimerHandle): void;
  /** This actor's random stream for `purpose`, independent of every other stream. */
  rng(purpose: string): Rng;
  /** The handle of the actor spawned with `id`; throws if there is none (a wiring bug). */
  lookup(id: string): ActorRef;
  /** The id of the actor behind `ref`. */
  idOf(ref: ActorRef): string;
  /** Ends the run after the current event; the outcome says 'stopped'. */
  stop(): void;
}

/** A handler: reacts to one message type by changing its own state and acting through ctx. */
export type Handler<S, M extends Message = any> = (state: S, message: M, ctx: Context) => void;

/**
 * An actor's behaviour: one handler per message type. State is plain data owned by the actor.
 * Every actor receives `{ type: 'sim.start' }` at the time it was spawned, if it handles it.
 */
export interface Behavior<S> {
  readonly on: { readonly [type: string]: Handler<S> };
}

/** The message each actor receives once, at the time it is spawned, if it has a handler. */
export const START: Message = Object.freeze({ type: 'sim.start' });
