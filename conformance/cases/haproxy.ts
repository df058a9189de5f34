import {
  asApproximateShare,
  asSent,
  type CaseResult,
  compareRows,
  edgeExplainer,
  unpermute,
} from '../compare.ts';
import { drive, type RealOutcome } from '../driver.ts';
import { type HaproxyBackend, startHaproxy } from '../haproxy.ts';
import type { Row } from '../schedule.ts';
import { freePort } from '../servers.ts';
import { type SimOutcome, simulate } from '../sim.ts';
import { startHoldingUpstreams, type Upstream } from '../upstream.ts';
import { lbScenario, overlapping, sequential, type UpstreamVariant } from './nginx-upstream.ts';

/** A HAProxy variant: the backend section lines and how the harness treats it. */
interface HaproxyVariant extends UpstreamVariant {
  readonly lines: readonly string[];
  /** Each client returns the cookie the balancer set (cookie SERVERID insert). */
  readonly cookies?: boolean;
  /** Decisions depend on real completion timing: compared approximately (shares). */
  readonly approximate?: boolean;
}

/** Clients 1..20, each sending 6 requests 200 ms apart, interleaved 7 ms apart. */
function sessions(path: string): Row[] {
  const rows: Row[] = [];
  for (let c = 1; c <= 20; c++) {
    for (let k = 0; k < 6; k++)
      rows.push({ t: k * 200 + c * 7, method: 'GET', path, key: 0, client: c });
  }
  return rows.sort((a, b) => a.t - b.t || a.client - b.client);
}

const VARIANTS: readonly HaproxyVariant[] = [
  {
    path: '/srr/',
    feature: 'balance static-rr, equal weights',
    weights: [1, 1, 1],
    lines: ['balance static-rr'],
    lb: { algorithm: 'round-robin' },
    rows: () => sequential('/srr/0', 90, 15),
    sequential: true,
  },
  {
    path: '/rrw/',
    feature: 'balance roundrobin, weights 3:1:2',
    weights: [3, 1, 2],
    lines: ['balance roundrobin'],
    lb: { algorithm: 'fast-weighted-round-robin' },
    rows: () => sequential('/rrw/0', 120, 15),
    sequential: true,
  },
  {
    path: '/rrx/',
    feature: 'balance roundrobin, weights 5:2:1',
    weights: [5, 2, 1],
    lines: ['balance roundrobin'],
    lb: { algorithm: 'fast-weighted-round-robin' },
    rows: () => sequential('/rrx/0', 120, 15),
    sequential: true,
  },
  {
    path: '/srw/',
    feature: 'balance static-rr, weights 3:1:2',
    weights: [3, 1, 2],
    lines: ['balance static-rr'],
    lb: { algorithm: 'static-rr' },
    rows: () => sequential('/srw/0', 120, 15),
    sequential: true,
  },
  {
    path: '/lc/',
    feature: 'balance leastconn, 3 servers, overlapping requests',
    weights: [1, 1, 1],
    lines: ['balance leastconn'],
    lb: { algorithm: { name: 'least-connections', ties: 'haproxy' } },
    rows: () => overlapping('haproxy-leastconn', '/lc/', 150),
    approximate: true,
  },
  {
    path: '/ck/',
    feature: 'cookie SERVERID insert (20 clients × 6 requests, the cookie returned)',
    weights: [1, 1, 1],
    lines: ['balance roundrobin', 'cookie SERVERID insert indirect nocache'],
    lb: { algorithm: { name: 'sticky', fallback: 'fast-weighted-round-robin' } },
    rows: () => sessions('/ck/0'),
    cookies: true,
  },
];

function label(o: RealOutcome | SimOutcome): string {
  // A failed request has no upstream answer (the server that failed it is not compared).
  return o.status >= 500 || o.status === 0 ? `${o.status}` : `${o.status} from ${o.upstream}`;
}

/** Share of requests after a client's first that went to the server of its first answer. */
function stickiness(rows: readonly Row[], outs: readonly { upstream: string }[]): number {
  const first = new Map<number, string>();
  let later = 0;
  let same = 0;
  rows.forEach((r, i) => {
    const u = outs[i]!.upstream;
    const f = first.get(r.client);
    if (f === undefined) first.set(r.client, u);
    else {
      later++;
      if (u === f) same++;
    }
  });
  return later === 0 ? 0 : (100 * same) / later;
}

/** The cookie case with the stickiness of both sides (requests kept on the first server). */
function withStickiness(
  r: CaseResult,
  rows: readonly Row[],
  real: readonly RealOutcome[],
  sim: readonly SimOutcome[],
): CaseResult {
  return {
    ...r,
    measure: `requests kept on the client's first server: haproxy ${stickiness(rows, real).toFixed(0)}%, stacksim ${stickiness(rows, sim).toFixed(0)}%`,
  };
}

/** The SERVERID cookie value a response set, if any. */
function setCookie(o: RealOutcome | undefined): string | undefined {
  const m = /SERVERID=([^;]+)/.exec(o?.headers?.['set-cookie'] ?? '');
  return m?.[1];
}

/** HAProxy balancing (static-rr, roundrobin, leastconn, cookie insert) against stacksim. */
export async function haproxyCases(binary: string): Promise<CaseResult[]> {
  const ups: Upstream[] = [];
  const backends: HaproxyBackend[] = [];
  for (const [k, v] of VARIANTS.entries()) {
    const ports = await startHoldingUpstreams(v.weights, ups);
    const servers = ports.map((port, i) => {
      const cookie = v.cookies === true ? ` cookie s${i}` : '';
      return `app${i} 127.0.0.1:${port} weight ${v.weights[i]}${cookie}`;
    });
    backends.push({ name: `b${k}`, prefix: v.path, lines: v.lines, servers });
  }
  const port = await freePort();
  const haproxy = await startHaproxy(binary, port, backends);
  const results: CaseResult[] = [];
  try {
    for (const v of VARIANTS) {
      const rows = v.rows();
      const jar = new Map<number, string>();
      const real = await drive(rows, {
        port,
        sequential: v.sequential === true,
        headersFor: (i, row, done) => {
          if (v.cookies !== true) return {};
          // The client keeps the cookie of its latest answer that set one.
          for (let j = i - 1; j >= 0; j--) {
            if (rows[j]!.client !== row.client) continue;
            const c = setCookie(done[j]);
            if (c !== undefined) jar.set(row.client, c);
            break;
          }
          const c = jar.get(row.client);
          return c === undefined ? {} : { cookie: `SERVERID=${c}` };
        },
      });
      const { rows: sent, order } = asSent(rows, real);
      const run = (rs: Row[]) => simulate(lbScenario(v, rs), rs, 'app');
      const sim = unpermute(run(sent), order);
      const same = (r: RealOutcome, s: SimOutcome) => label(r) === label(s);
      const explain = edgeExplainer(sent, order, run, real, same, 2);
      const r = compareRows('haproxy', v.feature, rows, real, sim, label, same, undefined, explain);
      if (v.cookies === true) results.push(withStickiness(r, rows, real, sim));
      else results.push(v.approximate === true ? asApproximateShare(r, real, sim, 5) : r);
    }
  } finally {
    await haproxy.stop();
    await Promise.all(ups.map((u) => u.close()));
  }
  return results;
}
