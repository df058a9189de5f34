import { asApproximateShare, asSent, type CaseResult, compareRows, unpermute } from '../compare.ts';
import { drive, type RealOutcome } from '../driver.ts';
import { type HaproxyBackend, startHaproxy } from '../haproxy.ts';
import { stream } from '../random.ts';
import type { Row } from '../schedule.ts';
import { freePort } from '../servers.ts';
import { type SimOutcome, simulate } from '../sim.ts';
import { startHoldingUpstreams, type Upstream } from '../upstream.ts';
import { clientsRef, dotted } from './nginx-hash.ts';
import { lbScenario, type UpstreamVariant } from './nginx-upstream.ts';

interface HashVariant extends UpstreamVariant {
  readonly lines: readonly string[];
  /** Rows carry the client address stacksim gives the replayed user (balance source). */
  readonly source?: boolean;
  /** Decisions depend on requests in flight (bounded loads): compared by share. */
  readonly approximate?: boolean;
}

/** 60 clients in 60 /24 networks, 3 requests each, interleaved 4 ms apart. */
function sourceRows(path: string): Row[] {
  const rows: Row[] = [];
  for (let k = 0; k < 3; k++) {
    for (let c = 1; c <= 60; c++) {
      rows.push({ t: (k * 60 + c) * 4, method: 'GET', path, key: 0, client: c * 256 + 1 });
    }
  }
  return rows;
}

/** 300 requests for random keys, /prefix/<key>/0, 3 ms apart. */
function uriRows(seed: string, prefix: string): Row[] {
  const rnd = stream(seed);
  return Array.from({ length: 300 }, (_, i) => {
    const k = Math.floor(rnd() * 1_000_000);
    return { t: i * 3, method: 'GET' as const, path: `${prefix}${k}/0`, key: k, client: 1 };
  });
}

/** Hot keys (5 of them, Zipf-like) held 30–310 ms, arrivals 20–60 ms apart. */
function hotRows(prefix: string): Row[] {
  const rnd = stream('haproxy-hash-balance');
  let t = 0;
  return Array.from({ length: 150 }, () => {
    t += 20 * (1 + Math.floor(rnd() * 3));
    const k = Math.min(4, Math.floor(-Math.log(1 - rnd()) * 1.2));
    const hold = 20 * (1 + Math.floor(rnd() * 15)) + 10;
    return { t, method: 'GET' as const, path: `${prefix}${k}/${hold}`, key: k, client: 1 };
  });
}

const W = [1, 2, 1];
const VARIANTS: readonly HashVariant[] = [
  {
    path: '/sm/',
    feature: 'balance source, hash-type map-based, weights 1:2:1 (60 /24 networks × 3)',
    weights: W,
    lines: ['balance source', 'hash-type map-based', 'http-request set-src hdr(x-forwarded-for)'],
    lb: { algorithm: { name: 'haproxy-hash', on: 'ip', hashType: 'map-based' } },
    rows: () => sourceRows('/sm/0'),
    source: true,
  },
  {
    path: '/sc/',
    feature: 'balance source, hash-type consistent, weights 1:2:1 (60 /24 networks × 3)',
    weights: W,
    lines: ['balance source', 'hash-type consistent', 'http-request set-src hdr(x-forwarded-for)'],
    lb: { algorithm: { name: 'haproxy-hash', on: 'ip', hashType: 'consistent' } },
    rows: () => sourceRows('/sc/0'),
    source: true,
  },
  {
    path: '/um/',
    feature: 'balance uri, hash-type map-based, weights 1:2:1 (300 keys)',
    weights: W,
    lines: ['balance uri', 'hash-type map-based'],
    lb: { algorithm: { name: 'haproxy-hash', on: 'route', hashType: 'map-based' } },
    rows: () => uriRows('haproxy-uri-map', '/um/'),
  },
  {
    path: '/uc/',
    feature: 'balance uri, hash-type consistent, weights 1:2:1 (300 keys)',
    weights: W,
    lines: ['balance uri', 'hash-type consistent'],
    lb: { algorithm: { name: 'haproxy-hash', on: 'route', hashType: 'consistent' } },
    rows: () => uriRows('haproxy-uri-chash', '/uc/'),
  },
  {
    path: '/hb/',
    feature:
      'balance uri, hash-type consistent, hash-balance-factor 150 (5 hot keys held 30–310 ms)',
    weights: [1, 1, 1],
    lines: ['balance uri', 'hash-type consistent', 'hash-balance-factor 150'],
    lb: {
      algorithm: {
        name: 'haproxy-hash',
        on: 'route',
        hashType: 'consistent',
        hashBalanceFactor: 150,
      },
    },
    rows: () => hotRows('/hb/'),
    approximate: true,
  },
];

function label(o: RealOutcome | SimOutcome): string {
  return o.status >= 500 || o.status === 0 ? `${o.status}` : `${o.status} from ${o.upstream}`;
}

/** HAProxy `balance source | uri` with `hash-type map-based | consistent` and bounded loads. */
export async function haproxyHashCases(binary: string): Promise<CaseResult[]> {
  const ups: Upstream[] = [];
  const backends: HaproxyBackend[] = [];
  for (const [k, v] of VARIANTS.entries()) {
    const ports = await startHoldingUpstreams(v.weights, ups);
    const servers = ports.map((port, i) => `app${i} 127.0.0.1:${port} weight ${v.weights[i]}`);
    backends.push({ name: `h${k}`, prefix: v.path, lines: v.lines, servers });
  }
  const port = await freePort();
  const haproxy = await startHaproxy(binary, port, backends);
  const results: CaseResult[] = [];
  try {
    for (const v of VARIANTS) {
      const rows = v.rows();
      const run = (rs: Row[]) => simulate(lbScenario(v, rs), rs, 'app');
      let sent = rows;
      if (v.source === true) {
        const self = clientsRef(lbScenario(v, rows));
        sent = rows.map((r) => ({
          ...r,
          headers: { 'x-forwarded-for': dotted(((self * 65_536) >>> 0) + (r.client % 65_536)) },
        }));
      }
      const real = await drive(sent, { port });
      const timed = asSent(rows, real);
      const sim = unpermute(run(timed.rows), timed.order);
      const r = compareRows('haproxy', v.feature, rows, real, sim, label);
      if (v.approximate !== true) {
        results.push(r);
        continue;
      }
      const a = asApproximateShare(r, real, sim, 5);
      results.push({
        ...a,
        note: 'hash-balance-factor decides on the requests each server has in flight, so on when earlier ones ended: a request within a few ms of a completion can go either way, and later picks follow. Compared per request for information; overall by share.',
      });
    }
  } finally {
    await haproxy.stop();
    await Promise.all(ups.map((u) => u.close()));
  }
  return results;
}
