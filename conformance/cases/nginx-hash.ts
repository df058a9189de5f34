import { ScenarioRun } from '../../models/scenario/build.ts';
import { validateScenario } from '../../models/scenario/load.ts';
import { type CaseResult, compareRows } from '../compare.ts';
import { drive, type RealOutcome } from '../driver.ts';
import { startNginx } from '../nginx.ts';
import { stream } from '../random.ts';
import { replayClient, scenario } from '../scenarios.ts';
import type { Row } from '../schedule.ts';
import { freePort } from '../servers.ts';
import { type SimOutcome, simulate } from '../sim.ts';
import { Upstream } from '../upstream.ts';

/** Which upstream served, with the status. */
function label(o: RealOutcome | SimOutcome): string {
  return o.status >= 500 || o.status === 0 ? `${o.status}` : `${o.status} from ${o.upstream}`;
}

/** The stacksim scenario: client → load-balancer (algorithm, backends with addresses) → apps. */
function hashScenario(
  name: string,
  rows: readonly Row[],
  algorithm: Record<string, unknown>,
  backends: readonly { id: string; address: string }[],
): Record<string, unknown> {
  const routes = [...new Set(rows.map((r) => r.path))].map((route) => ({
    method: 'GET',
    route,
    steps: [],
  }));
  const components: Record<string, unknown> = {
    clients: replayClient(rows, 'lb'),
    lb: { type: 'load-balancer', algorithm, backends: backends.map((b) => ({ ...b })) },
  };
  for (const b of backends) components[b.id] = { type: 'app-server', workers: 1000, routes };
  return scenario(name, rows, components);
}

/**
 * stacksim gives a replayed request of user u the client address (client actor ref)·65 536 + u;
 * the ref of the `clients` actor of a scenario, so the real side can send the same address.
 */
export function clientsRef(raw: Record<string, unknown>): number {
  const v = validateScenario(raw);
  if (!v.ok) throw new Error(`conformance scenario invalid: ${JSON.stringify(v.issues)}`);
  const ref = new ScenarioRun(v.scenario).built.sim.find('clients');
  if (ref === undefined) throw new Error('no clients actor');
  return ref;
}

/** The dotted IPv4 address of stacksim's client address `ip` (a 32-bit number). */
export function dotted(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** Share (%) of rows whose upstream differs between two outcome lists. */
function moved(a: readonly { upstream: string }[], b: readonly { upstream: string }[]): number {
  let n = 0;
  a.forEach((x, i) => {
    if (x.upstream !== b[i]!.upstream) n++;
  });
  return (100 * n) / Math.max(1, a.length);
}

/** NGINX `ip_hash` and `hash $request_uri consistent` (and one server removed) vs stacksim. */
export async function nginxHashCases(binary: string): Promise<CaseResult[]> {
  const ups = ['app0', 'app1', 'app2'].map((name) => new Upstream({ name }));
  const ports: number[] = [];
  for (const u of ups) {
    const p = await freePort();
    await u.listen(p);
    ports.push(p);
  }
  const addr = ports.map((p) => `127.0.0.1:${p}`);
  const backends = ups.map((u, i) => ({ id: u.name, address: addr[i]! }));
  const minus = backends.filter((b) => b.id !== 'app1');
  const line = (i: number, w = 1) => `server ${addr[i]} weight=${w};`;
  const port = await freePort();
  const nginx = await startNginx(binary, {
    port,
    http: [
      `  upstream iph { ip_hash; ${line(0)} ${line(1, 2)} ${line(2)} }`,
      `  upstream ch3 { hash $request_uri consistent; ${line(0)} ${line(1)} ${line(2)} }`,
      `  upstream ch2 { hash $request_uri consistent; ${line(0)} ${line(2)} }`,
      '  map $http_x_ring $ring { default ch3; minus ch2; }',
    ].join('\n'),
    locations: [
      { path: '/ip/', body: '', upstream: 'iph' },
      { path: '/h/', body: '', upstream: '$ring' },
    ],
  });
  const results: CaseResult[] = [];
  try {
    // ip_hash: 60 clients in 60 different /24 networks, 3 requests each, interleaved.
    const ipRows: Row[] = [];
    for (let k = 0; k < 3; k++) {
      for (let c = 1; c <= 60; c++) {
        ipRows.push({
          t: (k * 60 + c) * 4,
          method: 'GET',
          path: '/ip/0',
          key: 0,
          client: c * 256 + 1,
        });
      }
    }
    const ipAlg = { name: 'ip-hash' };
    const ipBackends = backends.map((b, i) => ({ ...b, weight: i === 1 ? 2 : 1 }));
    const ipRun = (rs: readonly Row[]) =>
      simulate(hashScenario('nginx-ip-hash', rs, ipAlg, ipBackends), rs, 'app');
    const self = clientsRef(hashScenario('nginx-ip-hash', ipRows, ipAlg, ipBackends));
    const withAddr = ipRows.map((r) => ({
      ...r,
      headers: { 'x-forwarded-for': dotted(((self * 65_536) >>> 0) + (r.client % 65_536)) },
    }));
    const ipReal = await drive(withAddr, { port });
    const ipSim = ipRun(ipRows);
    const networks = new Set(
      withAddr.map((r) => r.headers['x-forwarded-for'].replace(/\.\d+$/, '')),
    );
    results.push({
      ...compareRows(
        'nginx',
        'ip_hash, weights 1:2:1 (60 client /24 networks × 3 requests)',
        ipRows,
        ipReal,
        ipSim,
        label,
      ),
      note: `Client addresses ${[...networks][0]}.1 … (60 /24 networks) sent as X-Forwarded-For (set_real_ip_from 127.0.0.1), the addresses stacksim gives the replayed users.`,
    });

    // hash $request_uri consistent: 300 keys over three servers, then with app1 removed.
    const rnd = stream('nginx-chash');
    const keys = Array.from({ length: 300 }, () => Math.floor(rnd() * 1_000_000));
    const chRows: Row[] = keys.map((k, i) => ({
      t: i * 3,
      method: 'GET',
      path: `/h/${k}`,
      key: k,
      client: 1,
    }));
    const chAlg = { name: 'consistent-hash', on: 'route', ring: 'nginx' };
    const full = await drive(chRows, { port });
    const less = await drive(
      chRows.map((r) => ({ ...r, headers: { 'x-ring': 'minus' } })),
      { port },
    );
    const simFull = simulate(hashScenario('nginx-chash', chRows, chAlg, backends), chRows, 'app');
    const simLess = simulate(hashScenario('nginx-chash-2', chRows, chAlg, minus), chRows, 'app');
    results.push(
      compareRows(
        'nginx',
        'hash $request_uri consistent, 3 servers (300 keys)',
        chRows,
        full,
        simFull,
        label,
      ),
    );
    const onRemoved = full.filter((o) => o.upstream === 'app1').length;
    const staying = full.flatMap((o, i) => (o.upstream === 'app1' ? [] : [i]));
    const strayReal = staying.filter((i) => less[i]!.upstream !== full[i]!.upstream).length;
    const straySim = staying.filter((i) => simLess[i]!.upstream !== simFull[i]!.upstream).length;
    const r = compareRows(
      'nginx',
      'hash $request_uri consistent, app1 removed (same 300 keys)',
      chRows,
      less,
      simLess,
      label,
    );
    results.push({
      ...r,
      measure: `keys remapped by the removal: nginx ${moved(full, less).toFixed(1)}%, stacksim ${moved(simFull, simLess).toFixed(1)}% (app1 held ${onRemoved}); keys of the other servers that moved: nginx ${strayReal}, stacksim ${straySim}`,
      pass: r.pass && strayReal === 0 && straySim === 0,
    });
  } finally {
    await nginx.stop();
    await Promise.all(ups.map((u) => u.close()));
  }
  return results;
}
