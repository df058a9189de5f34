import type { ActorRef, Context, Message, TimerHandle } from './actor.ts';
import { createStream, type Rng } from './rng.ts';
import type { Simulation } from './simulation.ts';
import type { SimTime } from './time.ts';

/** The per-actor context: a thin view onto the simulation, created once per actor. */
export class ActorContext implements Context {
  private readonly sim: Simulation;
  readonly self: ActorRef;
  readonly id: string;
  private readonly streams = new Map<string, Rng>();

  constructor(sim: Simulation, self: ActorRef, id: string) {
    this.sim = sim;
    this.self = self;
    this.id = id;
  }

  get now(): SimTime {
    return this.sim.now;
  }

  send(to: ActorRef, message: Message, delay = 0): TimerHandle {
    return this.sim.schedule(to, message, delay);
  }

  after(delay: number, message: Message): TimerHandle {
    return this.sim.schedule(this.self, message, delay);
  }

  timeout(delay: number, message: Message): TimerHandle {
    return this.sim.scheduleTimeout(this.self, message, delay);
  }

  cancel(handle: TimerHandle): void {
    this.sim.cancel(handle);
  }

  rng(purpose: string): Rng {
    let stream = this.streams.get(purpose);
    if (stream === undefined) {
      stream = createStream(this.sim.seed, this.id, purpose);
      this.streams.set(purpose, stream);
    }
    return stream;
  }

  lookup(id: string): ActorRef {
    const ref = this.sim.find(id);
    if (ref === undefined) throw new Error(`no actor with id '${id}'`);
    return ref;
  }

  idOf(ref: ActorRef): string {
    return this.sim.idOf(ref);
  }

  stop(): void {
    this.sim.requestStop();
  }
}
