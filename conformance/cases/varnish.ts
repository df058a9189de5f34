import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { asSent, type CaseResult, compareRows, unpermute } from '../compare.ts';
import { drive, type RealOutcome, wallMinusMonoMs } from '../driver.ts';
import { stream } from '../random.ts';
import { app, replayClient, scenario } from '../scenarios.ts';
import type { Row } from '../schedule.ts';
import { freePort, ServerProcess } from '../servers.ts';
import { type SimOutcome, simulate } from '../sim.ts';

/** The origin takes this long per fetch. */
const FETCH_MS = 100;
const TTL_S = 1;

/** One compared configuration: beresp.grace (0: none; requests then coalesce on the waiting list). */
interface Config {
  readonly path: string;
  readonly graceMs: number;
}
const CONFIGS: readonly Config[] = [
  { path: '/nograce', graceMs: 0 },
  { path: '/grace', graceMs: 500 },
  // grace shorter than a fetch: past the grace, requests wait for the background fetch
  { path: '/shortgrace', graceMs: 40 },
];

/**
 * A hot key under load with pauses: dense traffic (gaps 2–11 ms) for 2.6 s, a pause of 1.7 s
 * (past TTL + grace: a miss), 0.7 s dense, a pause of 1.2 s (inside the grace), 0.4 s dense.
 */
function schedule(path: string): Row[] {
  const rnd = stream(`varnish-${path}`);
  const rows: Row[] = [];
  const dense = (from: number, to: number) => {
    for (let t = from; t < to; t += 2 + Math.floor(rnd() * 10)) {
      rows.push({ t, method: 'GET', path, key: 0, client: 1 });
    }
  };
  dense(20, 2600);
  dense(4300, 5000);
  dense(6200, 6600);
  return rows;
}

/** The VCL: TTL and grace per path (beresp.ttl / beresp.grace), and what each request got. */
function vcl(port: number): string {
  return `vcl 4.1;
backend origin { .host = "127.0.0.1"; .port = "${port}"; }
sub vcl_recv { return (hash); }
sub vcl_backend_response {
  set beresp.ttl = ${TTL_S}s;
  set beresp.keep = 0s;
${CONFIGS.map((c) => `  if (bereq.url == "${c.path}") { set beresp.grace = ${c.graceMs / 1000}s; }`).join('\n')}
  return (deliver);
}
sub vcl_hit {
  if (obj.ttl <= 0s) { set req.http.x-state = "stale"; } else { set req.http.x-state = "hit"; }
}
sub vcl_miss { set req.http.x-state = "miss"; }
sub vcl_deliver { set resp.http.x-state = req.http.x-state; }
`;
}

/** The origin: answers after FETCH_MS with `x-born` (epoch ms of the answer); counts fetches. */
class Origin {
  readonly fetches = new Map<string, number>();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      const path = req.url ?? '';
      this.fetches.set(path, (this.fetches.get(path) ?? 0) + 1);
      setTimeout(() => {
        const born = (performance.timeOrigin + performance.now()).toFixed(3);
        res.writeHead(200, { 'x-born': born, 'content-length': '2' }).end('ok');
      }, FETCH_MS);
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    return server === undefined ? Promise.resolve() : new Promise((r) => server.close(() => r()));
  }
}

type State = 'hit' | 'stale' | 'miss' | 'waited';

/** What Varnish did: x-state, and a hit on an object born after the request was sent waited. */
function realState(o: RealOutcome, wallMinusMono: number): State {
  const s = o.headers?.['x-state'];
  if (s === 'stale' || s === 'miss') return s;
  const born = Number(o.headers?.['x-born'] ?? 0);
  return born > o.sentMonoMs + wallMinusMono ? 'waited' : 'hit';
}

/** What stacksim's http-cache did. */
function simState(o: SimOutcome): State {
  if (o.reason === 'cache-hit') return 'hit';
  if (o.reason === 'cache-stale') return 'stale';
  return o.phases?.includes('coalesced') === true ? 'waited' : 'miss';
}

/** Origin fetches a sequence of states implies: each miss, and each run of stale answers. */
function impliedFetches(states: readonly State[]): number {
  return states.filter((s, i) => s === 'miss' || (s === 'stale' && states[i - 1] !== 'stale'))
    .length;
}

/** Varnish TTL, grace and the waiting list on a hot key against stacksim's http-cache. */
export async function varnishCases(binary: string): Promise<CaseResult[]> {
  const originPort = await freePort();
  const port = await freePort();
  const origin = new Origin();
  const varnish = new ServerProcess('varnish');
  const results: CaseResult[] = [];
  try {
    await origin.listen(originPort);
    const file = varnish.write('stacksim.vcl', vcl(originPort));
    const args = ['-F', '-n', `${varnish.dir}/work`, '-a', `127.0.0.1:${port}`, '-f', file];
    args.push('-s', 'malloc,32m', '-p', 'default_grace=0');
    // as root, -j none keeps every process as this user (no jail user needed)
    if (process.getuid?.() === 0) args.push('-j', 'none');
    await varnish.start(binary, args, port);
    for (const c of CONFIGS) {
      const rows = schedule(c.path);
      // warm up (threads, the backend connection): the first fetch is otherwise ~40 ms slower
      await drive(
        Array.from({ length: 5 }, (_, i) => ({ ...rows[0]!, t: i * 150, path: `/warm${c.path}` })),
        { port, timeoutMs: 5000 },
      );
      const offset = wallMinusMonoMs();
      const real = await drive(rows, { port, timeoutMs: 5000 });
      const states = real.map((o) => realState(o, offset));
      // stacksim's origin takes what a miss took in Varnish (median), from sending the request
      // to the origin's answer (the object is stored then)
      const missMs = real
        .filter((_, i) => states[i] === 'miss')
        .map((o) => Number(o.headers?.['x-born']) - offset - o.sentMonoMs);
      missMs.sort((a, b) => a - b);
      const fetchUs = Math.round((missMs[missMs.length >> 1] ?? FETCH_MS) * 1000);
      const sent = asSent(rows, real);
      const simSorted = simulate(
        scenario(`varnish-${c.path}`, sent.rows, {
          clients: replayClient(sent.rows, 'cache'),
          cache: {
            type: 'http-cache',
            upstream: 'app',
            ttl: `${TTL_S}s`,
            honorCacheControl: false,
            staleWhileRevalidate: `${c.graceMs}ms`,
            stampede: 'coalesce',
            lookupLatency: '1us',
          },
          app: app(sent.rows, `${fetchUs}us`),
        }),
        sent.rows,
        'app',
      );
      const sim = unpermute(simSorted, sent.order);
      const simStates = sim.map(simState);
      const label = (o: RealOutcome | SimOutcome) =>
        'components' in o ? simState(o) : realState(o, offset);
      // instants (ms on the send clock) where an object was born or ran out, in Varnish
      const births = [...new Set(real.map((o) => Number(o.headers?.['x-born'] ?? Number.NaN)))]
        .filter((b) => !Number.isNaN(b))
        .map((b) => b - offset - (real[0]!.sentMonoMs - real[0]!.sentMs));
      const edges = births.flatMap((b) => [b, b + TTL_S * 1000, b + TTL_S * 1000 + c.graceMs]);
      const explain = (i: number) => {
        const t = real[i]!.sentMs;
        const near = edges.find((e) => Math.abs(e - t) < 2);
        if (near !== undefined)
          return `sent ${(t - near).toFixed(1)} ms from an object's birth, expiry or end of grace in Varnish`;
        const close = [real[i - 1], real[i + 1]].some(
          (o) => o !== undefined && Math.abs(o.sentMs - t) < 1,
        );
        return close
          ? 'another request was sent within 1 ms: Varnish looked them up in the other order'
          : undefined;
      };
      const r = compareRows(
        'varnish',
        `hot key, beresp.ttl ${TTL_S}s, beresp.grace ${c.graceMs / 1000}s, origin ${FETCH_MS} ms: hit / stale (grace) / miss / waited (waiting list)`,
        rows,
        real,
        sim,
        label,
        undefined,
        undefined,
        explain,
      );
      const count = (xs: readonly State[], s: State) => xs.filter((x) => x === s).length;
      const seen = origin.fetches.get(c.path) ?? 0;
      const implied = impliedFetches(states);
      const simFetches = impliedFetches(simStates);
      results.push({
        ...r,
        kind: 'approximate',
        measure: `origin fetches: varnish ${seen} (its states imply ${implied}), stacksim ${simFetches}; stale: ${count(states, 'stale')} vs ${count(simStates, 'stale')}, waited: ${count(states, 'waited')} vs ${count(simStates, 'waited')}, misses: ${count(states, 'miss')} vs ${count(simStates, 'miss')}`,
        pass: seen > 1 && seen === implied && simFetches === seen && r.agreed >= 0.97 * r.compared,
        note: `Target: the same origin fetches (one per expiry) and ≥ 97% of requests classed alike. Each request is classed by what Varnish did (x-state set in vcl_hit/vcl_miss: obj.ttl ≤ 0 is stale; a hit on an object whose x-born is after the request was sent waited on the waiting list) and by stacksim's http-cache (cache-hit, cache-stale, coalesced, else a fetch). stacksim replays the instants the requests were really sent; its origin takes the median time of a Varnish miss (${(fetchUs / 1000).toFixed(1)} ms; they took ${(missMs[0] ?? 0).toFixed(1)}–${(missMs[missMs.length - 1] ?? 0).toFixed(1)} ms). An object born a few ms later in Varnish (the origin's timer on a busy machine) moves its expiry and end of grace by as much, so the requests within that shift are classed differently until the next fetch. One origin fetch per expiry on both sides: a miss with the rest waiting, or the first stale answer with a background fetch.`,
      });
    }
  } finally {
    await varnish.stop();
    await origin.close();
  }
  return results;
}
