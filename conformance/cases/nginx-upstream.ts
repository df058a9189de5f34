import {
  asApproximateShare,
  asSent,
  type CaseResult,
  compareRows,
  edgeExplainer,
  unpermute,
} from '../compare.ts';
import { drive, type RealOutcome, wallMinusMonoMs } from '../driver.ts';
import { nginxTiming, startNginx } from '../nginx.ts';
import { stream } from '../random.ts';
import { replayClient, scenario } from '../scenarios.ts';
import type { Row } from '../schedule.ts';
import { freePort } from '../servers.ts';
import { type SimOutcome, simulate } from '../sim.ts';
import { holdOf, Upstream, type UpstreamAction } from '../upstream.ts';

/** One upstream feature: nginx's upstream block and location, and the stacksim balancer. */
export interface UpstreamVariant {
  readonly path: string;
  readonly feature: string;
  /** Backend weights (nginx `weight=`), one Node upstream each. */
  readonly weights: readonly number[];
  /** Extra text per `server` line and in the upstream block. */
  readonly server?: (i: number) => string;
  readonly block?: string;
  /** Directives of the location (besides proxy_pass). */
  readonly location?: string;
  /** stacksim load-balancer fields (algorithm, passive, retry, timeout). */
  readonly lb: Record<string, unknown>;
  readonly rows: () => Row[];
  /** What upstream i does with a request planned at `sched` ms (`at`: ms since the start). */
  readonly act?: (i: number, path: string, at: number, sched: number) => UpstreamAction;
  /** stacksim timeline events (crashes standing for the scripted failures). */
  readonly timeline?:
    | readonly Record<string, unknown>[]
    | ((rows: readonly Row[]) => Record<string, unknown>[]);
  /** A backend that does not listen at all (connection refused). */
  readonly refuse?: number;
  /** Send each request only after the previous answer (order-sensitive, no concurrency). */
  readonly sequential?: boolean;
  /**
   * Replay each request with the time nginx really held its upstream connection (least_conn
   * decides on connections in flight, so on when each ended), not the scripted hold.
   */
  readonly realHolds?: boolean;
  /**
   * Times on nginx's wall clock from a whole second (the schedule starts on one): stacksim's
   * time is nginx's wall clock since then, and `act` gets `sched`, the instant nginx forwarded
   * the request on that clock; nginx's whole seconds (fail_timeout) and stacksim's coincide.
   */
  readonly planned?: boolean;
}

export function sequential(path: string, n: number, gapMs: number, client = 1): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    t: i * gapMs,
    method: 'GET' as const,
    path,
    key: 0,
    client,
  }));
}

/** Arrivals on multiples of 20 ms, holds ≡ 10 (mod 20) ms: arrivals and completions 10 ms apart. */
export function overlapping(seed: string, prefix: string, n: number): Row[] {
  const rnd = stream(seed);
  let t = 0;
  return Array.from({ length: n }, () => {
    t += 20 * (1 + Math.floor(rnd() * 3));
    const hold = 20 * (1 + Math.floor(rnd() * 15)) + 10;
    return { t, method: 'GET' as const, path: `${prefix}${hold}`, key: 0, client: 1 };
  });
}

const VARIANTS: readonly UpstreamVariant[] = [
  {
    path: '/rr/',
    feature: 'round robin, weights 3:1:2 (smooth weighted)',
    weights: [3, 1, 2],
    lb: { algorithm: 'smooth-weighted-round-robin' },
    rows: () => sequential('/rr/0', 120, 15),
    sequential: true,
  },
  {
    path: '/lc/',
    feature: 'least_conn, 3 servers, overlapping requests',
    weights: [1, 1, 1],
    block: 'least_conn;',
    lb: { algorithm: { name: 'least-connections', ties: 'nginx' } },
    rows: () => overlapping('nginx-least-conn', '/lc/', 150),
    realHolds: true,
  },
  {
    path: '/lcw/',
    feature: 'least_conn, weights 2:1:1',
    weights: [2, 1, 1],
    block: 'least_conn;',
    lb: { algorithm: { name: 'least-connections', ties: 'nginx' } },
    rows: () => overlapping('nginx-least-conn-w', '/lcw/', 150),
    realHolds: true,
  },
  {
    path: '/mf/',
    feature: 'max_fails=2 fail_timeout=2s, proxy_next_upstream error (app0 resets from 1 s to 3 s)',
    weights: [1, 1, 1],
    server: (i) => (i === 0 ? 'max_fails=2 fail_timeout=2s' : ''),
    lb: {
      algorithm: 'smooth-weighted-round-robin',
      passive: { maxFails: 2, failTimeout: '2s', clock: 'seconds' },
    },
    rows: () => sequential('/mf/0', 240, 25).map((r) => ({ ...r, t: r.t + 12 })),
    sequential: true,
    planned: true,
    act: (i, _p, _at, sched) =>
      i === 0 && sched >= 1000 && sched < 3000 ? { kind: 'reset' } : { kind: 'ok', delayMs: 0 },
    timeline: [{ action: 'crash', at: '1s', target: 'app0', for: '2s' }],
  },
  {
    path: '/e502/',
    feature: 'connection refused, proxy_next_upstream off: 502',
    weights: [1],
    location: 'proxy_next_upstream off;',
    lb: { algorithm: 'round-robin', retry: { on: [] } },
    rows: () => sequential('/e502/0', 20, 20),
    sequential: true,
    refuse: 0,
    timeline: [{ action: 'crash', at: '0s', target: 'app0' }],
  },
  {
    path: '/reset/',
    feature: 'connection reset mid-request, proxy_next_upstream off: 502',
    weights: [1],
    location: 'proxy_next_upstream off;',
    lb: { algorithm: 'round-robin', retry: { on: [] } },
    rows: () => sequential('/reset/100', 10, 300),
    sequential: true,
    act: () => ({ kind: 'reset' }),
    // stacksim: the app crashes while each request (as replayed) is in its 100 ms of work
    timeline: (rows) =>
      rows.map((r) => ({
        action: 'crash',
        at: `${Math.round((r.t + 50) * 1000)}us`,
        target: 'app0',
        for: '100ms',
      })),
  },
  {
    path: '/e504/',
    feature: 'upstream silent past proxy_read_timeout 200ms: 504',
    weights: [1],
    location: 'proxy_next_upstream off; proxy_read_timeout 200ms;',
    lb: { algorithm: 'round-robin', retry: { on: [] }, timeout: '200ms' },
    rows: () => sequential('/e504/2000', 10, 50),
    act: () => ({ kind: 'hang' }),
  },
];

/**
 * Re-timed rows whose path carries the time nginx held the upstream connection: from building
 * the upstream request ($msec sent upstream) to the response header ($msec), ms.
 */
function withRealHolds(
  rows: readonly Row[],
  order: readonly number[],
  real: readonly RealOutcome[],
  prefix: string,
): Row[] {
  return rows.map((r, k) => {
    const h = real[order[k]!]!.headers ?? {};
    const hold = Math.round(Number(h['x-msec']) * 1000 - Number(h['x-proxy-sent-at']) * 1000);
    return Number.isFinite(hold) ? { ...r, path: `${prefix}${Math.max(0, hold)}` } : r;
  });
}

/** least_conn under real timing: each upstream's share of requests within this many points. */
const SHARE_TOLERANCE_PP = 5;

/** Which upstream served, with the status. */
function label(o: RealOutcome | SimOutcome): string {
  // A failed request has no upstream answer (the server that failed it is not compared).
  return o.status >= 500 || o.status === 0 ? `${o.status}` : `${o.status} from ${o.upstream}`;
}

/** nginx's upstream balancing (round robin, weights, least_conn, max_fails) against stacksim. */
export async function nginxUpstreamCases(binary: string): Promise<CaseResult[]> {
  const ups: Upstream[] = [];
  const blocks: string[] = [];
  const t0 = VARIANTS.map(() => 0);
  const wall0 = VARIANTS.map(() => 0);
  for (const [k, v] of VARIANTS.entries()) {
    const servers: string[] = [];
    for (const [i, w] of v.weights.entries()) {
      const port = await freePort();
      if (v.refuse !== i) {
        const act = v.act;
        const up = new Upstream({
          name: `app${i}`,
          act: (_n, req) =>
            act?.(
              i,
              req.url ?? '',
              performance.now() - t0[k]!,
              Number(req.headers['x-proxy-sent-at']) * 1000 - wall0[k]!,
            ) ?? {
              kind: 'ok',
              delayMs: holdOf(req.url ?? ''),
            },
        });
        await up.listen(port);
        ups.push(up);
      }
      servers.push(`server 127.0.0.1:${port} weight=${w} ${v.server?.(i) ?? ''};`);
    }
    blocks.push(`  upstream b${k} {\n    ${v.block ?? ''}\n    ${servers.join('\n    ')}\n  }`);
  }
  const port = await freePort();
  const nginx = await startNginx(binary, {
    port,
    http: blocks.join('\n'),
    locations: VARIANTS.map((v, k) => ({
      path: v.path,
      body: v.location ?? '',
      upstream: `b${k}`,
    })),
  });
  const results: CaseResult[] = [];
  try {
    const delta = wallMinusMonoMs();
    // One variant at a time: fewer requests in flight keep the harness's timers punctual.
    const runs: { v: UpstreamVariant; rows: Row[]; real: RealOutcome[] }[] = [];
    for (const [k, v] of VARIANTS.entries()) {
      const rows = v.rows();
      const real = await drive(rows, {
        port,
        timing: nginxTiming,
        sequential: v.sequential === true,
        alignToSecond: v.planned === true,
        onStart: (t, w) => {
          t0[k] = t;
          wall0[k] = w;
        },
      });
      runs.push({ v, rows, real });
    }
    for (const { v, rows, real } of runs) {
      const k = VARIANTS.indexOf(v);
      const timed = asSent(rows, real, delta, v.planned === true ? wall0[k] : undefined);
      const sent =
        v.realHolds === true ? withRealHolds(timed.rows, timed.order, real, v.path) : timed.rows;
      const order = timed.order;
      const run = (rs: Row[]) => simulate(lbScenario(v, rs), rs, 'app');
      const sim = unpermute(run(sent), order);
      if (process.env.CONF_DEBUG === v.path) {
        console.log(ups.map((u) => `${u.name}:${u.seen}`).join(' '));
        for (const [i, r] of real.entries()) {
          const t = sent[order.indexOf(i)]!.t;
          console.log(i, rows[i]!.t, t, label(r), label(sim[i]!));
        }
      }
      const same = (r: RealOutcome, s: SimOutcome) => label(r) === label(s);
      const explain = edgeExplainer(sent, order, run, real, same, 2);
      const r = compareRows('nginx', v.feature, rows, real, sim, label, same, undefined, explain);
      results.push(v.realHolds === true ? asApproximateShare(r, real, sim, SHARE_TOLERANCE_PP) : r);
    }
  } finally {
    await nginx.stop();
    await Promise.all(ups.map((u) => u.close()));
  }
  return results;
}

/** The stacksim scenario of one variant: client → load-balancer → app0..appN-1. */
export function lbScenario(v: UpstreamVariant, rows: readonly Row[]): Record<string, unknown> {
  const components: Record<string, unknown> = {
    clients: replayClient(rows, 'lb'),
    lb: {
      type: 'load-balancer',
      backends: v.weights.map((w, i) => ({ id: `app${i}`, weight: w })),
      ...v.lb,
    },
  };
  const routes = [...new Set(rows.map((r) => r.path))].map((route) => {
    const hold = holdOf(route);
    return { method: 'GET', route, steps: hold > 0 ? [{ io: `${hold}ms` }] : [] };
  });
  v.weights.forEach((_, i) => {
    components[`app${i}`] = { type: 'app-server', workers: 1000, routes };
  });
  const s = scenario(`nginx-upstream${v.path}`, rows, components);
  if (v.timeline === undefined) return s;
  return { ...s, timeline: typeof v.timeline === 'function' ? v.timeline(rows) : v.timeline };
}
