import type { SimTime } from './time.ts';

/**
 * A model bug: an exception thrown by an actor's handler. It stops the run and names the
 * actor, the message type being handled and the simulated time.
 */
export class SimulationError extends Error {
  readonly actorId: string;
  readonly messageType: string;
  readonly time: SimTime;
  override readonly cause: unknown;

  constructor(actorId: string, messageType: string, time: SimTime, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${actorId} failed handling '${messageType}' at t=${time / 1e6}s: ${detail}`);
    this.name = 'SimulationError';
    this.actorId = actorId;
    this.messageType = messageType;
    this.time = time;
    this.cause = cause;
  }
}
