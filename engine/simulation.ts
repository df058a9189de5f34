import type { ActorRef, Behavior, Message, TimerHandle } from './actor.ts';
import { START } from './actor.ts';
import { ActorContext } from './context.ts';
import { type DispatchTable, dispatchTable } from './dispatch.ts';
import { SimulationError } from './errors.ts';
import { Fingerprint } from './fingerprint.ts';
import { createQueue, type EventQueue, type QueueKind } from './queue.ts';
import type { SimTime } from './time.ts';
import { TimerLane } from './timer-lane.ts';

/** Why run() returned: a budget, an empty queue, or a model's ctx.stop(). */
export type StopReason = 'until' | 'empty' | 'maxEvents' | 'maxWallSeconds' | 'stopped';

/** Budgets for one call of run(); the first one reached stops it. */
export interface RunOptions {
  /** Events at or after this time are not processed; the clock ends at `until` (also when the queue empties first). */
  readonly until?: SimTime;
  /** At most this many events are delivered by this call. */
  readonly maxEvents?: number;
  /** Wall-clock budget in seconds; needs `wallClock`, since the engine has no clock of its own. */
  readonly maxWallSeconds?: number;
  /** Reads wall-clock seconds; supplied by cli/ or bench/. */
  readonly wallClock?: () => number;
}

/** What run() did: why it stopped, how many events it delivered and the clock at the end. */
export interface RunOutcome {
  readonly reason: StopReason;
  /** True when a budget (maxEvents or maxWallSeconds) cut the run short. */
  readonly partial: boolean;
  readonly events: number;
  readonly now: SimTime;
}

/** How a simulation is set up: its seed, queue implementation and optional tracing. */
export interface SimulationOptions {
  readonly seed: number | string;
  readonly queue?: QueueKind;
  /** Keep a running fingerprint of delivered events (default true). */
  readonly fingerprint?: boolean;
  /** Called for every delivered event, before its handler runs. */
  readonly trace?: (time: SimTime, actorId: string, type: string) => void;
}

const SLOT_FREE = 0;
const SLOT_PENDING = 1;
const SLOT_CANCELLED = 2;
/** Pending in a timer lane: cancelling frees the slot at once (the lane skips stale handles). */
const SLOT_LANED = 3;
const GEN_FACTOR = 67_108_864; // 2^26 slots; handle = generation * 2^26 + slot

interface ActorEntry {
  readonly id: string;
  readonly behavior: Behavior<any>;
  readonly table: DispatchTable;
  readonly state: unknown;
  readonly ctx: ActorContext;
}

/**
 * The kernel: a clock, a queue of events ordered by (time, seq), and actors that receive
 * messages. Equal times run in scheduling order; nothing else breaks ties.
 */
export class Simulation {
  readonly seed: number | string;
  private clock: SimTime = 0;
  private seq = 0;
  private readonly queue: EventQueue;
  private readonly actors: ActorEntry[] = [];
  private readonly tables = new Map<Behavior<any>, DispatchTable>();
  private readonly byId = new Map<string, ActorRef>();
  private slotTarget = new Int32Array(1024);
  private slotState = new Uint8Array(1024);
  private slotGen = new Float64Array(1024);
  private slotMsg: (Message | undefined)[] = new Array(1024);
  private freeSlots: number[] = [];
  private nextSlot = 0;
  /** Timer lanes by delay (µs); a lane's head sits in the queue with payload -2 - index. */
  private readonly laneByDelay = new Map<number, number>();
  private readonly lanes: TimerLane[] = [];
  private stopRequested = false;
  private delivered = 0;
  private readonly print: Fingerprint | undefined;
  private readonly trace: SimulationOptions['trace'];

  constructor(options: SimulationOptions) {
    this.seed = options.seed;
    this.queue = createQueue(options.queue);
    this.print = options.fingerprint === false ? undefined : new Fingerprint();
    this.trace = options.trace;
  }

  /** The simulated clock in integer microseconds. */
  get now(): SimTime {
    return this.clock;
  }

  /** Events delivered so far over all run() and step() calls. */
  get eventsDelivered(): number {
    return this.delivered;
  }

  /** Events waiting, cancelled timers included until they are dropped from the queue. */
  get pending(): number {
    let n = this.queue.size;
    for (const lane of this.lanes) if (lane.count > 0) n += lane.count - 1;
    return n;
  }

  /** The running fingerprint of delivered events as 16 hex digits ('' when disabled). */
  fingerprint(): string {
    return this.print === undefined ? '' : this.print.value();
  }

  /** Adds an actor; it receives 'sim.start' now, if it handles it. Ids must be unique. */
  spawn<S>(id: string, behavior: Behavior<S>, state: S): ActorRef {
    if (this.byId.has(id)) throw new Error(`duplicate actor id '${id}'`);
    const ref = this.actors.length;
    const ctx = new ActorContext(this, ref, id);
    let table = this.tables.get(behavior);
    if (table === undefined) {
      table = dispatchTable(behavior);
      this.tables.set(behavior, table);
    }
    this.actors.push({ id, behavior, table, state, ctx });
    this.byId.set(id, ref);
    if (behavior.on[START.type] !== undefined) this.schedule(ref, START, 0);
    return ref;
  }

  /** The handle of actor `id`, or undefined. */
  find(id: string): ActorRef | undefined {
    return this.byId.get(id);
  }

  /** The id of actor `ref`. */
  idOf(ref: ActorRef): string {
    const entry = this.actors[ref];
    if (entry === undefined) throw new Error(`no actor with handle ${ref}`);
    return entry.id;
  }

  /** The state object of actor `ref`, for inspection by tests and result collection. */
  stateOf<S>(ref: ActorRef): S {
    const entry = this.actors[ref];
    if (entry === undefined) throw new Error(`no actor with handle ${ref}`);
    return entry.state as S;
  }

  /** Number of actors spawned. */
  get actorCount(): number {
    return this.actors.length;
  }

  /** Queues `message` for `target` at now + delay (µs, rounded); returns a timer handle. */
  schedule(target: ActorRef, message: Message, delay: number): TimerHandle {
    const slot = this.takeSlot(target, message, delay, SLOT_PENDING);
    this.queue.push(this.clock + Math.round(delay), this.seq++, slot);
    return this.slotGen[slot]! * GEN_FACTOR + slot;
  }

  /**
   * Like schedule(), for a timer that repeats one delay and is usually cancelled (a request
   * timeout): it waits in the FIFO lane of its delay instead of the queue. Delivery order is
   * exactly the one schedule() would give, since lane heads enter the queue with their own
   * (time, seq); only the cost differs.
   */
  scheduleTimeout(target: ActorRef, message: Message, delay: number): TimerHandle {
    const slot = this.takeSlot(target, message, delay, SLOT_LANED);
    const d = Math.round(delay);
    let index = this.laneByDelay.get(d);
    if (index === undefined) {
      index = this.lanes.length;
      this.lanes.push(new TimerLane());
      this.laneByDelay.set(d, index);
    }
    const lane = this.lanes[index]!;
    const handle = this.slotGen[slot]! * GEN_FACTOR + slot;
    const time = this.clock + d;
    const seq = this.seq++;
    lane.push(handle, time, seq, this.isCurrentFn);
    if (lane.count === 1) this.queue.push(time, seq, -2 - index);
    return handle;
  }

  /** Cancels a pending event by handle; stale or fired handles are ignored. */
  cancel(handle: TimerHandle): void {
    const slot = handle % GEN_FACTOR;
    const gen = (handle - slot) / GEN_FACTOR;
    if (this.slotGen[slot] !== gen) return;
    const state = this.slotState[slot];
    if (state === SLOT_PENDING) this.slotState[slot] = SLOT_CANCELLED;
    else if (state === SLOT_LANED) this.releaseSlot(slot);
  }

  private takeSlot(target: ActorRef, message: Message, delay: number, state: number): number {
    if (!(delay >= 0) || delay === Number.POSITIVE_INFINITY) {
      throw new Error(
        `invalid delay ${delay} for '${message.type}' (expected a finite number >= 0)`,
      );
    }
    if (target < 0 || target >= this.actors.length || target !== (target | 0)) {
      throw new Error(`send of '${message.type}' to unknown actor handle ${target}`);
    }
    let slot: number;
    if (this.freeSlots.length > 0) slot = this.freeSlots.pop()!;
    else {
      slot = this.nextSlot++;
      if (slot === this.slotTarget.length) this.growSlots();
    }
    this.slotTarget[slot] = target;
    this.slotState[slot] = state;
    this.slotMsg[slot] = message;
    return slot;
  }

  /**
   * The slot of the live event at the head of the queue, or -1 when the queue is empty.
   * Cancelled events and stale lane entries at the head are dropped on the way.
   */
  private headSlot(): number {
    const queue = this.queue;
    for (;;) {
      const payload = queue.peekPayload();
      if (payload === -1) return -1;
      if (payload >= 0) {
        if (this.slotState[payload] !== SLOT_CANCELLED) return payload;
        queue.pop();
        this.releaseSlot(payload);
        continue;
      }
      const lane = this.lanes[-2 - payload]!;
      const handle = lane.handles[lane.head]!;
      if (this.isCurrent(handle)) return handle % GEN_FACTOR;
      queue.pop();
      this.nextInLane(-2 - payload);
    }
  }

  /** Pops the queue's head, which headSlot() returned as `slot`, and frees the slot. */
  private popHead(slot: number): void {
    const payload = this.queue.pop();
    if (payload < -1) this.nextInLane(-2 - payload);
    this.releaseSlot(slot);
  }

  private readonly isCurrentFn = (handle: TimerHandle): boolean => this.isCurrent(handle);

  /** Whether `handle` still names its slot's current event (not delivered, not freed). */
  private isCurrent(handle: TimerHandle): boolean {
    const slot = handle % GEN_FACTOR;
    return this.slotGen[slot] === (handle - slot) / GEN_FACTOR;
  }

  /** Drops lane `index`'s head, skips stale entries and queues the next live one. */
  private nextInLane(index: number): void {
    const lane = this.lanes[index]!;
    lane.shift();
    while (lane.count > 0) {
      if (this.isCurrent(lane.handles[lane.head]!)) {
        this.queue.push(lane.times[lane.head]!, lane.seqs[lane.head]!, -2 - index);
        return;
      }
      lane.shift();
    }
  }

  /** Delivers the next live event; returns false when the queue is empty. */
  step(): boolean {
    const slot = this.headSlot();
    if (slot < 0) return false;
    const time = this.queue.peekTime();
    const target = this.slotTarget[slot]!;
    const message = this.slotMsg[slot]!;
    this.popHead(slot);
    this.deliver(time, target, message);
    return true;
  }

  /** Runs until the first budget is reached, the queue empties or a model calls stop(). */
  run(options: RunOptions = {}): RunOutcome {
    const until = options.until ?? Number.POSITIVE_INFINITY;
    const maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
    const wall = options.wallClock;
    const maxWall = options.maxWallSeconds;
    const wallStart = wall !== undefined && maxWall !== undefined ? wall() : 0;
    let events = 0;
    this.stopRequested = false;
    let reason: StopReason = 'empty';
    const queue = this.queue;
    for (;;) {
      if (this.stopRequested) {
        reason = 'stopped';
        break;
      }
      let slot = queue.peekPayload();
      if (slot < 0 || this.slotState[slot] === SLOT_CANCELLED) {
        slot = this.headSlot();
        if (slot < 0) {
          reason = 'empty';
          // Like SimPy's run(until): a finite horizon is reached even when nothing is left.
          if (until !== Number.POSITIVE_INFINITY && until > this.clock) this.clock = until;
          break;
        }
      }
      const time = queue.peekTime();
      if (time >= until) {
        if (until > this.clock) this.clock = until; // never move the clock back
        reason = 'until';
        break;
      }
      if (events >= maxEvents) {
        reason = 'maxEvents';
        break;
      }
      if (
        wall !== undefined &&
        maxWall !== undefined &&
        (events & 4095) === 0 &&
        wall() - wallStart > maxWall
      ) {
        reason = 'maxWallSeconds';
        break;
      }
      const target = this.slotTarget[slot]!;
      const message = this.slotMsg[slot]!;
      this.popHead(slot);
      this.deliver(time, target, message);
      events++;
    }
    const partial = reason === 'maxEvents' || reason === 'maxWallSeconds';
    return { reason, partial, events, now: this.clock };
  }

  /** @internal Sets the stop flag checked by run(). */
  requestStop(): void {
    this.stopRequested = true;
  }

  private releaseSlot(slot: number): void {
    this.slotMsg[slot] = undefined;
    this.slotState[slot] = SLOT_FREE;
    this.slotGen[slot] = this.slotGen[slot]! + 1;
    this.freeSlots.push(slot);
  }

  private deliver(time: SimTime, target: ActorRef, message: Message): void {
    this.clock = time;
    this.delivered++;
    const actor = this.actors[target]!;
    const entry = actor.table[message.type];
    // (An inherited Object.prototype member has no `handler`: unknown types end up here too.)
    const handler = entry?.handler;
    if (handler === undefined) {
      throw new SimulationError(
        actor.id,
        message.type,
        time,
        new Error('no handler for this message type'),
      );
    }
    this.print?.addCode(time, target, entry!.code);
    if (this.trace !== undefined) this.trace(time, actor.id, message.type);
    try {
      handler(actor.state, message, actor.ctx);
    } catch (error) {
      if (error instanceof SimulationError) throw error;
      throw new SimulationError(actor.id, message.type, time, error);
    }
  }

  private growSlots(): void {
    const cap = this.slotTarget.length * 2;
    if (cap > GEN_FACTOR) throw new Error('more than 2^26 events pending');
    const target = new Int32Array(cap);
    target.set(this.slotTarget);
    this.slotTarget = target;
    const state = new Uint8Array(cap);
    state.set(this.slotState);
    this.slotState = state;
    const gen = new Float64Array(cap);
    gen.set(this.slotGen);
    this.slotGen = gen;
    this.slotMsg.length = cap;
  }
}
