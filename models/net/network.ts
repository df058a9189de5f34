import { z } from 'zod';
import type { ActorRef, Context, Distribution, Message, Simulation } from '../../engine/index.ts';
import { buildDurationDist, durationDist } from '../core/dist-spec.ts';
import { probability } from '../core/units.ts';

const BANDWIDTH_RE = /^(\d+(?:\.\d+)?)\s*(bit|Kbit|Mbit|Gbit|B|KB|MB|GB)\/s$/;
const BANDWIDTH_FACTOR: Readonly<Record<string, number>> = {
  bit: 1 / 8,
  Kbit: 125,
  Mbit: 125_000,
  Gbit: 125_000_000,
  B: 1,
  KB: 1_000,
  MB: 1_000_000,
  GB: 1_000_000_000,
};

/** Parses "100Mbit/s" or "12MB/s" to bytes per second; undefined when malformed. */
export function parseBandwidth(text: string): number | undefined {
  const m = BANDWIDTH_RE.exec(text.trim());
  if (m === null) return undefined;
  const v = Number(m[1]) * BANDWIDTH_FACTOR[m[2]!]!;
  return v > 0 && Number.isFinite(v) ? v : undefined;
}

/** A link between two components (or replicas): one-way latency, loss and bandwidth, both ways. */
export const linkSchema = z.strictObject({
  between: z
    .tuple([z.string().min(1), z.string().min(1)], {
      error: 'expected two component ids, like ["client", "web"]',
    })
    .describe('the two components (or replicas) the link joins'),
  latency: durationDist().describe('one-way latency per message'),
  loss: probability()
    .default(0)
    .describe(
      'probability that a transmission is lost (TCP resends it after the RTO; DNS loses it)',
    ),
  bandwidth: z
    .string()
    .refine((s) => parseBandwidth(s) !== undefined, {
      error: 'expected a bandwidth like "100Mbit/s" or "12MB/s"',
    })
    .transform((s) => parseBandwidth(s)!)
    .optional()
    .describe('adds size / bandwidth to each message'),
});
/** A parsed link. */
export type LinkConfig = z.output<typeof linkSchema>;

/**
 * TCP's retransmission timer as Linux runs it: floor 200 ms (TCP_RTO_MIN), ceiling 120 s
 * (TCP_RTO_MAX), doubling after each loss (RFC 6298 §5.5), and the connection given up after 15
 * retransmissions (net.ipv4.tcp_retries2).
 */
export const TCP_RETRANSMISSION = { rtoMin: 200_000, rtoMax: 120_000_000, retries: 15 } as const;

/**
 * A link's retransmission timeout in µs once a connection's estimator has settled (RFC 6298:
 * RTO = SRTT + 4·RTTVAR): SRTT is the mean round trip, two one-way delays; RTTVAR is taken as the
 * round trip's standard deviation. Floored at 200 ms like Linux.
 */
export function settledRto(latency: Distribution): number {
  const rtt = 2 * latency.mean;
  const rttDeviation = Math.sqrt(2 * latency.variance);
  return Math.max(TCP_RETRANSMISSION.rtoMin, rtt + 4 * rttDeviation);
}

/** The live state of one link, changed by faults on the timeline. */
export interface LinkState {
  readonly latency: Distribution;
  /** Retransmission timeout of a connection over this link, µs (settledRto). */
  readonly rto: number;
  loss: number;
  /** The configured loss, restored when a degradation ends. */
  readonly baseLoss: number;
  /** Bytes per µs, or 0 for no bandwidth term. */
  readonly bytesPerMicro: number;
  latencyFactor: number;
  partitioned: boolean;
}

const NO_LINK: LinkState = Object.freeze({
  latency: { sample: () => 0, mean: 0, variance: 0, name: 'none' },
  rto: TCP_RETRANSMISSION.rtoMin,
  loss: 0,
  baseLoss: 0,
  bytesPerMicro: 0,
  latencyFactor: 1,
  partitioned: false,
}) as unknown as LinkState;

/** Component id of an actor id: 'app[3]' → 'app'. */
export function componentOf(actorId: string): string {
  const i = actorId.indexOf('[');
  return i < 0 ? actorId : actorId.slice(0, i);
}

/**
 * The one rule for how an id in a link or a fault names actors: a component id matches itself
 * and each of its replicas ('app' matches 'app', 'app[0]', 'app[1]', …); a replica id matches
 * only itself.
 */
export function idMatches(id: string, actorId: string): boolean {
  return id === actorId || id === componentOf(actorId);
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** A fault on the links between two ids (components or replicas), set by the timeline. */
export interface LinkFault {
  /** Messages either way are lost. */
  partitioned: boolean;
  /** Latency is multiplied by this (1: unchanged). */
  latencyFactor: number;
  /** Loss while degraded; undefined: the link's own loss. */
  loss: number | undefined;
}

interface FaultEntry {
  readonly a: string;
  readonly b: string;
  readonly fault: LinkFault;
}

/**
 * The links of a stack. Senders call send()/delay(); unlisted pairs have no delay and no loss
 * (co-located). Each delay is drawn from the sender's own 'net' stream.
 *
 * A declared link between two actors is the most specific one that names them (replica pair,
 * then replica and component, then component pair). Faults are kept apart from the links: a
 * fault between ids A and B applies to every pair of actors that A and B match (idMatches),
 * both directions, over whichever link joins them (or none: then the pair gets a link with
 * zero latency for the fault's duration). When several faults match one pair, it is cut if any
 * cuts it, and takes the largest latency factor and the largest loss among them.
 */
export class Network {
  private readonly byPair = new Map<string, LinkState>();
  private readonly faults = new Map<string, FaultEntry>();
  private readonly cache = new Map<number, LinkState>();
  /** When each direction of each actor pair finishes sending what is queued on it, µs. */
  private readonly busyUntil = new Map<number, number>();
  private readonly sim: Simulation;

  constructor(sim: Simulation, links: readonly LinkConfig[]) {
    this.sim = sim;
    for (const link of links) {
      const latency = buildDurationDist(link.latency);
      this.byPair.set(pairKey(link.between[0], link.between[1]), {
        latency,
        rto: settledRto(latency),
        loss: link.loss,
        baseLoss: link.loss,
        bytesPerMicro: link.bandwidth === undefined ? 0 : link.bandwidth / 1e6,
        latencyFactor: 1,
        partitioned: false,
      });
    }
  }

  /** The link state between two actors (by ref): the declared link with the faults on it. */
  link(from: ActorRef, to: ActorRef): LinkState {
    const key = from * 1_048_576 + to;
    let state = this.cache.get(key);
    if (state === undefined) {
      state = this.resolve(this.sim.idOf(from), this.sim.idOf(to));
      this.cache.set(key, state);
    }
    return state;
  }

  private resolve(a: string, b: string): LinkState {
    const declared =
      this.byPair.get(pairKey(a, b)) ??
      this.byPair.get(pairKey(componentOf(a), b)) ??
      this.byPair.get(pairKey(a, componentOf(b))) ??
      this.byPair.get(pairKey(componentOf(a), componentOf(b)));
    let matched = false;
    let partitioned = false;
    let latencyFactor = 1;
    let loss: number | undefined;
    for (const { a: fa, b: fb, fault } of this.faults.values()) {
      const hit = (idMatches(fa, a) && idMatches(fb, b)) || (idMatches(fa, b) && idMatches(fb, a));
      if (!hit) continue;
      matched = true;
      partitioned ||= fault.partitioned;
      latencyFactor = Math.max(latencyFactor, fault.latencyFactor);
      if (fault.loss !== undefined) loss = Math.max(loss ?? 0, fault.loss);
    }
    if (!matched) return declared ?? NO_LINK;
    const base = declared ?? NO_LINK;
    return {
      latency: base.latency,
      rto: base.rto,
      loss: loss ?? base.baseLoss,
      baseLoss: base.baseLoss,
      bytesPerMicro: base.bytesPerMicro,
      latencyFactor,
      partitioned,
    };
  }

  /**
   * Changes the fault between two ids (components or replicas, in either order), which reaches
   * every actor pair they match; `change` sets fields of the fault (a new one starts neutral).
   */
  setFault(a: string, b: string, change: Partial<LinkFault>): void {
    const key = pairKey(a, b);
    let entry = this.faults.get(key);
    if (entry === undefined) {
      entry = { a, b, fault: { partitioned: false, latencyFactor: 1, loss: undefined } };
      this.faults.set(key, entry);
    }
    Object.assign(entry.fault, change);
    this.cache.clear();
  }

  /** Messages sent over a reliable (TCP) link that were lost at least once, and their resends. */
  readonly tcp = { delivered: 0, retransmissions: 0, abandoned: 0 };

  /**
   * One-way delay in µs for a message of `bytes` from ctx's actor to `to`; -1 if it never
   * arrives. Over TCP (the default) a lost message is resent after the link's retransmission
   * timeout, doubling each time (TCP_RETRANSMISSION): loss shows as delay, and a message is
   * given up only after 15 resends. A `datagram` (DNS over UDP, or a handshake packet whose
   * sender runs its own resend schedule) is simply lost. A partition cuts both.
   */
  delay(ctx: Context, to: ActorRef, bytes = 0, datagram = false): number {
    const link = this.link(ctx.self, to);
    if (link === NO_LINK) return 0;
    if (link.partitioned) return -1;
    const rng = ctx.rng('net');
    let waited = 0;
    if (link.loss > 0 && rng.next() < link.loss) {
      if (datagram) return -1;
      let rto = link.rto;
      let resends = 0;
      do {
        if (resends === TCP_RETRANSMISSION.retries) {
          this.tcp.abandoned++;
          return -1;
        }
        resends++;
        waited += rto;
        rto = Math.min(2 * rto, TCP_RETRANSMISSION.rtoMax);
      } while (rng.next() < link.loss);
      this.tcp.retransmissions += resends;
    }
    if (!datagram) this.tcp.delivered++;
    let d = waited + link.latency.sample(rng) * link.latencyFactor;
    if (link.bytesPerMicro > 0 && bytes > 0)
      d += this.transmit(ctx, to, bytes / link.bytesPerMicro);
    return d;
  }

  /**
   * Puts `micros` of transmission on the sender's side of the link to `to`: a message waits for
   * the bytes queued ahead of it in the same direction (FIFO, like a NIC or a router's output
   * queue), then takes its own size ÷ bandwidth. Returns wait + transmission, µs. One queue per
   * direction of each actor pair, so memory grows with the pairs that talk, not with traffic.
   */
  private transmit(ctx: Context, to: ActorRef, micros: number): number {
    const key = ctx.self * 1_048_576 + to;
    const free = this.busyUntil.get(key) ?? 0;
    const start = Math.max(free, ctx.now);
    this.busyUntil.set(key, start + micros);
    return start + micros - ctx.now;
  }

  /** Sends over the link; returns false (and delivers nothing) when the message is lost. */
  send(ctx: Context, to: ActorRef, message: Message, bytes = 0, datagram = false): boolean {
    const d = this.delay(ctx, to, bytes, datagram);
    if (d < 0) return false;
    ctx.send(to, message, d);
    return true;
  }
}
