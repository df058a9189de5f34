import {
  asSent,
  type CaseResult,
  compareRows,
  edgeExplainer,
  resyncAtEdges,
  unpermute,
} from '../compare.ts';
import { drive, type RealOutcome, wallMinusMonoMs } from '../driver.ts';
import { limitReqExcess, nginxTiming, startNginx } from '../nginx.ts';
import { bursts } from '../random.ts';
import { app, replayClient, scenario } from '../scenarios.ts';
import type { Row } from '../schedule.ts';
import { freePort } from '../servers.ts';
import { type SimOutcome, simulate } from '../sim.ts';
import { Upstream } from '../upstream.ts';

/** One limit_req variant: nginx directives and the stacksim limiter algorithm that mirrors them. */
interface LimitReqVariant {
  readonly path: string;
  readonly feature: string;
  readonly zone: string;
  readonly directive: string;
  readonly status: number;
  readonly algorithm: Record<string, unknown>;
  /** Rate in requests per second and the delay= threshold (Infinity for nodelay). */
  readonly rate: number;
  readonly delay: number;
}

const VARIANTS: readonly LimitReqVariant[] = [
  {
    path: '/a',
    feature: 'limit_req rate=10r/s (no burst), status 503',
    zone: 'rate=10r/s',
    directive: 'limit_req zone=a;',
    status: 503,
    algorithm: { algorithm: 'leaky-meter', rate: '10/s', burst: 0 },
    rate: 10,
    delay: 0,
  },
  {
    path: '/b',
    feature: 'limit_req rate=10r/s burst=3 (delay), limit_req_status 429',
    zone: 'rate=10r/s',
    directive: 'limit_req zone=b burst=3; limit_req_status 429;',
    status: 429,
    algorithm: { algorithm: 'leaky-meter', rate: '10/s', burst: 3 },
    rate: 10,
    delay: 0,
  },
  {
    path: '/c',
    feature: 'limit_req rate=10r/s burst=3 nodelay',
    zone: 'rate=10r/s',
    directive: 'limit_req zone=c burst=3 nodelay;',
    status: 503,
    algorithm: { algorithm: 'leaky-meter', rate: '10/s', burst: 3, nodelay: true },
    rate: 10,
    delay: Number.POSITIVE_INFINITY,
  },
  {
    path: '/d',
    feature: 'limit_req rate=20r/s burst=5 delay=2',
    zone: 'rate=20r/s',
    directive: 'limit_req zone=d burst=5 delay=2;',
    status: 503,
    algorithm: { algorithm: 'leaky-meter', rate: '20/s', burst: 5, delay: 2 },
    rate: 20,
    delay: 2,
  },
];

/** The time a request was held: nginx's own figure, or stacksim's latency (the app answers at once). */
function held(o: RealOutcome | SimOutcome): number {
  return 'heldMs' in o && o.heldMs !== undefined ? o.heldMs : o.latencyMs;
}

/** nginx's $limit_req_status for a real answer; for stacksim, delayed when it held the request. */
function verdict(o: RealOutcome | SimOutcome): string {
  if (o.status !== 200) return `rejected ${o.status}`;
  if ('sentMs' in o) return o.headers?.['x-limit-req'] === 'DELAYED' ? 'delayed' : 'allowed';
  return o.latencyMs > 0 ? 'delayed' : 'allowed';
}

/** Allowed, delayed by N ms, or rejected with a status. */
function label(o: RealOutcome | SimOutcome): string {
  const v = verdict(o);
  return v === 'delayed' ? `delayed ${Math.round(held(o))}ms` : v;
}

/**
 * Tolerance on the length of a delay. The delay compared is the one nginx computed (from the
 * excess it logs), not the one the machine realised. limit_req reads ngx_current_msec (a
 * monotonic clock) while the arrival we can observe ($msec − $request_time) is the wall clock,
 * truncated to ms on its own: the replayed arrival is known to ±1 ms, so the excess to ±rate·1 ms
 * and the delay to ±1 ms.
 */
const DELAY_TOLERANCE_MS = 1;

/**
 * Real outcomes with `heldMs` replaced by the delay nginx computed for them: ⌊(excess −
 * delay·1000)·1000 / (rate·1000)⌋ ms, from the excess its error log gives per connection.
 * Returns also the largest lateness of the realised delay over the computed one.
 */
function computedDelays(
  real: readonly RealOutcome[],
  excess: ReadonlyMap<number, number>,
  v: LimitReqVariant,
): { outcomes: RealOutcome[]; lateMs: number } {
  let lateMs = 0;
  const outcomes = real.map((o) => {
    if (o.headers?.['x-limit-req'] !== 'DELAYED') return o;
    const e = excess.get(Number(o.headers['x-conn']));
    if (e === undefined) return o;
    const d = Math.floor(((e - v.delay * 1000) * 1000) / (v.rate * 1000));
    lateMs = Math.max(lateMs, (o.heldMs ?? d) - d);
    return { ...o, heldMs: d };
  });
  return { outcomes, lateMs };
}

/** Same verdict, and for delayed requests the same delay within DELAY_TOLERANCE_MS. */
function same(r: RealOutcome, s: SimOutcome): boolean {
  const v = verdict(r);
  if (v !== verdict(s)) return false;
  return v !== 'delayed' || Math.abs(held(r) - held(s)) <= DELAY_TOLERANCE_MS;
}

/** An app answering /conn/<ms> after <ms> (and the bare /conn at once). */
function heldApp(rows: readonly Row[]): Record<string, unknown> {
  const routes = [...new Set(rows.map((r) => r.path))].map((route) => {
    const ms = Number(route.slice('/conn/'.length));
    return { method: 'GET', route, steps: ms > 0 ? [{ io: `${ms}ms` }] : [] };
  });
  return { type: 'app-server', workers: 1000, routes };
}

/** limit_conn: admitted or rejected. */
function connLabel(o: RealOutcome | SimOutcome): string {
  return o.status === 200 ? 'allowed' : `rejected ${o.status}`;
}

/** limit_req (rate, burst, nodelay, delay=, limit_req_status) and limit_conn against nginx. */
export async function nginxLimitCases(binary: string): Promise<CaseResult[]> {
  const up = new Upstream({
    name: 'u1',
    act: (_n, req) => ({ kind: 'ok', delayMs: req.url === '/conn' ? 300 : 0 }),
  });
  const upPort = await freePort();
  await up.listen(upPort);
  const port = await freePort();
  const zones = VARIANTS.map(
    (v) => `  limit_req_zone $binary_remote_addr zone=${v.path.slice(1)}:1m ${v.zone};`,
  ).join('\n');
  const nginx = await startNginx(binary, {
    port,
    http: `${zones}\n  limit_conn_zone $binary_remote_addr zone=conn:1m;\n  upstream up { server 127.0.0.1:${upPort}; keepalive 64; }`,
    locations: [
      ...VARIANTS.map((v) => ({ path: v.path, body: v.directive, upstream: 'up' })),
      { path: '/conn', body: 'limit_conn conn 2;', upstream: 'up' },
      { path: '/warm', body: '', upstream: 'up' },
    ],
  });
  await drive(
    Array.from({ length: 20 }, (_, i) => ({
      t: i * 5,
      method: 'GET',
      path: '/warm',
      key: 0,
      client: 99,
    })),
    { port },
  );
  const results: CaseResult[] = [];
  try {
    const byPath = new Map<string, Row[]>();
    const all: Row[] = [];
    VARIANTS.forEach((v, k) => {
      const rows = bursts(
        `nginx-limit-req-${v.path}`,
        v.path,
        [1 + k * 10, 2 + k * 10, 3 + k * 10],
        8000,
      );
      byPath.set(v.path, rows);
      all.push(...rows);
    });
    const connRows = bursts('nginx-limit-conn', '/conn', [41, 42, 43], 8000, 5, 800, 40, 400);
    byPath.set('/conn', connRows);
    all.push(...connRows);
    all.sort((a, b) => a.t - b.t);
    const delta = wallMinusMonoMs();
    const real = await drive(all, { port, timing: nginxTiming });
    const excess = limitReqExcess(nginx.log('error.log'));
    for (const v of [...VARIANTS, undefined]) {
      const path = v?.path ?? '/conn';
      const idx = all.flatMap((r, i) => (r.path === path ? [i] : []));
      const rows = idx.map((i) => all[i]!);
      const realRows = idx.map((i) => real[i]!);
      const timed = asSent(rows, realRows, delta);
      const order = timed.order;
      // limit_conn counts a request until nginx answers it: replay each with its real length
      // on nginx's clock ($msec at the answer − arrival), not the scripted 300 ms.
      const sent =
        v === undefined
          ? timed.rows.map((r, k) => {
              const o = realRows[order[k]!]!;
              const ms = Math.round(Number(o.headers?.['x-msec']) * 1000 - (o.receivedMs ?? 0));
              return Number.isFinite(ms) && o.status === 200 ? { ...r, path: `/conn/${ms}` } : r;
            })
          : timed.rows;
      const limiter = v === undefined ? { algorithm: 'concurrency', limit: 2 } : v.algorithm;
      const run = (rs: Row[]) =>
        simulate(
          scenario(`nginx-limit${path}`, rs, {
            clients: replayClient(rs, 'limiter'),
            limiter: {
              type: 'rate-limiter',
              upstream: 'app',
              key: 'clientIp',
              status: v?.status ?? 503,
              headers: 'none',
              algorithm: limiter,
            },
            app: v === undefined ? heldApp(rs) : app(rs, '0ms'),
          }),
          rs,
          'app',
        );
      if (v === undefined) {
        const sim = unpermute(run(sent), order);
        results.push(
          compareRows(
            'nginx',
            'limit_conn 2 (per address)',
            rows,
            realRows,
            sim,
            connLabel,
            undefined,
            undefined,
            edgeExplainer(sent, order, run, realRows, (r, x) => connLabel(r) === connLabel(x), 2),
          ),
        );
        continue;
      }
      const { outcomes, lateMs } = computedDelays(realRows, excess, v);
      const note =
        lateMs > 0
          ? `Delays compared are the ones nginx computed; the realised ones were up to ${Math.round(lateMs)} ms later (timer and CPU scheduling on a shared machine).`
          : undefined;
      // nginx's clock reading for a request is known to ±1 ms: where that decides, the
      // request is an edge (a disagreement, explained) and the replay resynchronises there.
      const exactly = (r: RealOutcome, x: SimOutcome) =>
        verdict(r) === verdict(x) && Math.abs(held(r) - held(x)) < 0.5;
      const synced = resyncAtEdges(sent, order, run, outcomes, same, label, 1, 24, exactly);
      const onEdge = new Set([...synced.edges.keys()].map((i) => outcomes[i]!));
      const explain = (i: number) => synced.edges.get(i);
      const edgeNote =
        synced.edges.size === 0
          ? undefined
          : `${synced.edges.size} request(s) on an edge (nginx's ms clock reading of the arrival decides, and it is known to ±1 ms): counted as disagreements; the replay is resynchronised after each.`;
      const notes = [note, edgeNote].filter((x) => x !== undefined).join(' ');
      results.push(
        compareRows(
          'nginx',
          v.feature,
          rows,
          outcomes,
          synced.sim,
          label,
          (r, s) => !onEdge.has(r) && same(r, s),
          notes === '' ? undefined : notes,
          explain,
        ),
      );
    }
  } finally {
    await nginx.stop();
    await up.close();
  }
  return results;
}
