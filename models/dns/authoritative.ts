import { z } from 'zod';
import type { Behavior, Context, Distribution, SimTime } from '../../engine/index.ts';
import { defineComponent } from '../core/component.ts';
import { buildDurationDist, durationDist } from '../core/dist-spec.ts';
import type { Probe } from '../core/probe.ts';
import { duration, durationOrZero } from '../core/units.ts';
import type { Network } from '../net/network.ts';
import type { DnsAnswer, DnsQuery } from './messages.ts';

const recordSchema = z.strictObject({
  name: z.string().min(1).describe('the name, e.g. "api.example.com"'),
  addresses: z.array(z.string()).min(1).describe('actor ids; several = DNS round robin'),
  ttl: duration().default(300_000_000).describe('record TTL (seconds on the wire)'),
  changes: z
    .array(
      z.strictObject({
        at: durationOrZero(),
        addresses: z.array(z.string()).min(1).describe('the new actor ids from then on'),
      }),
    )
    .default([])
    .describe('record updates at these times (failover), in order'),
});

/** Config of a dns-authoritative server (one zone). */
export const dnsAuthoritativeSchema = z.strictObject({
  records: z.array(recordSchema).min(1).describe('the zone’s A records'),
  soaMinimum: duration()
    .default(300_000_000)
    .describe('negative-caching TTL (SOA MINIMUM, RFC 2308)'),
  latency: durationDist().default(40_000).describe('time to answer one query (plus links)'),
  rotate: z.boolean().default(true).describe('rotate the address order per answer (round robin)'),
});
/** A parsed dns-authoritative config. */
export type DnsAuthoritativeConfig = z.output<typeof dnsAuthoritativeSchema>;

/** The authoritative answer carries the record version (0 before the first change). */
export interface AuthAnswer extends DnsAnswer {
  readonly version: number;
}

/** Plain state of the authoritative actor. */
export interface AuthState {
  readonly config: DnsAuthoritativeConfig;
  readonly records: Map<string, DnsAuthoritativeConfig['records'][number]>;
  readonly latency: Distribution;
  readonly probe: Probe;
  readonly network: Network;
  /** Start of the simulated timeline (warm-up end) that `changes[].at` counts from. */
  readonly offset: SimTime;
  rotation: number;
  down: boolean;
}

/** The record's addresses and version at time `now`. */
export function recordAt(
  rec: DnsAuthoritativeConfig['records'][number],
  now: SimTime,
): { addresses: readonly string[]; version: number } {
  let addresses = rec.addresses;
  let version = 0;
  rec.changes.forEach((c, i) => {
    if (now >= c.at) {
      addresses = c.addresses;
      version = i + 1;
    }
  });
  return { addresses, version };
}

function respond(s: AuthState, q: DnsQuery, ctx: Context, arrivedAt: SimTime): void {
  const rec = s.records.get(q.name);
  let msg: AuthAnswer;
  if (rec === undefined) {
    msg = {
      type: 'dns.answer',
      tag: q.tag,
      rcode: 'NXDOMAIN',
      addresses: [],
      ttl: s.config.soaMinimum,
      version: 0,
    };
  } else {
    const { addresses, version } = recordAt(rec, ctx.now - s.offset);
    const k = s.config.rotate ? s.rotation++ % addresses.length : 0;
    const order = [...addresses.slice(k), ...addresses.slice(0, k)];
    msg = {
      type: 'dns.answer',
      tag: q.tag,
      rcode: 'NOERROR',
      addresses: order,
      ttl: rec.ttl,
      version,
    };
  }
  s.probe.complete(ctx.now, msg.rcode === 'NOERROR' ? 200 : 404, ctx.now - arrivedAt);
  s.network.send(ctx, q.replyTo, msg, 100, true); // UDP
}

/** The authoritative actor: answers dns.query after its latency; silent while crashed. */
export const dnsAuthoritativeBehavior: Behavior<AuthState> = {
  on: {
    'dns.query': (s, q: DnsQuery, ctx) => {
      s.probe.arrive(ctx.now);
      s.probe.count('queries', ctx.now);
      if (s.down) {
        s.probe.complete(ctx.now, 503, 0);
        return;
      }
      const later = { type: 'auth.respond', q, at: ctx.now };
      ctx.after(s.latency.sample(ctx.rng('latency')), later);
    },
    'auth.respond': (s, m: { q: DnsQuery; at: SimTime }, ctx) => {
      if (s.down) return void s.probe.complete(ctx.now, 503, ctx.now - m.at);
      respond(s, m.q, ctx, m.at);
    },
    'fault.crash': (s) => {
      s.down = true;
    },
    'fault.restart': (s) => {
      s.down = false;
    },
  },
};

/** Initial state of a dns-authoritative actor. */
export function authState(
  config: DnsAuthoritativeConfig,
  probe: Probe,
  network: Network,
  offset: SimTime = 0,
): AuthState {
  return {
    config,
    records: new Map(config.records.map((r) => [r.name, r])),
    latency: buildDurationDist(config.latency),
    probe,
    network,
    offset,
    rotation: 0,
    down: false,
  };
}

/** The dns-authoritative component kind (root and TLD are latency steps in the resolver). */
export const dnsAuthoritativeKind = defineComponent({
  type: 'dns-authoritative',
  description:
    'Authoritative DNS server for one zone: records (several addresses = round robin) with TTLs, scheduled record changes (failover), NXDOMAIN with the SOA minimum as negative TTL; crash = unreachable.',
  schema: dnsAuthoritativeSchema,
  replicable: false,
  references: (c) =>
    c.records.flatMap((r, i) =>
      [...r.addresses, ...r.changes.flatMap((ch) => ch.addresses)].map((id) => ({
        path: ['records', i, 'addresses'],
        id,
        acceptsGroup: true,
        carriesRequests: false,
      })),
    ),
  build(instance, env) {
    const probe = env.probe(instance.componentId, instance.actorId);
    env.sim.spawn(
      instance.actorId,
      dnsAuthoritativeBehavior,
      authState(instance.config, probe, env.network),
    );
  },
});
