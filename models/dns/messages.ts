import type { ActorRef, SimTime } from '../../engine/index.ts';

/** DNS response codes the simulator distinguishes (RFC 1035 §4.1.1 names). */
export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';

/** A name lookup sent to a resolver; the answer echoes `tag` to `replyTo`. */
export interface DnsQuery {
  readonly type: 'dns.query';
  /** The name to resolve (a component id in most scenarios, e.g. 'web'). */
  readonly name: string;
  /** Who gets the dns.answer. */
  readonly replyTo: ActorRef;
  /** The asker's correlation number. */
  readonly tag: number;
}

/** The answer to one dns.query: addresses are actor ids; `ttl` says how long it may be cached. */
export interface DnsAnswer {
  readonly type: 'dns.answer';
  readonly tag: number;
  readonly rcode: Rcode;
  /** Actor ids of the hosts behind the name, in the order the resolver chose (round robin). */
  readonly addresses: readonly string[];
  /** Time to live of the answer in µs (0: do not cache). */
  readonly ttl: SimTime;
}
