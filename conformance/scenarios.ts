import { type Row, replayRows } from './schedule.ts';

/** The replaying client: every row of `rows`, a connection per request, no retries. */
export function replayClient(rows: readonly Row[], target: string): Record<string, unknown> {
  return {
    type: 'client.open',
    target,
    arrival: { process: 'replay', rows: replayRows(rows) },
    connection: { tls: 'none', poolSize: 10_000 },
    mix: [...new Set(rows.map((r) => `${r.method} ${r.path}`))].map((mr, i) => {
      const [method, route] = mr.split(' ');
      return { name: `c${i}`, weight: 1, method, route };
    }),
  };
}

/** An app server answering every route of `rows` after `service` (a duration string). */
export function app(rows: readonly Row[], service = '0ms'): Record<string, unknown> {
  const routes = [...new Set(rows.map((r) => `${r.method} ${r.path}`))].map((mr) => {
    const [method, route] = mr.split(' ');
    return { method, route, steps: service === '0ms' ? [] : [{ io: service }] };
  });
  return { type: 'app-server', workers: 1000, routes };
}

/** A whole scenario around `components` (ids other than `clients`), no link latency. */
export function scenario(
  name: string,
  rows: readonly Row[],
  components: Record<string, unknown>,
): Record<string, unknown> {
  const last = rows.length === 0 ? 0 : rows[rows.length - 1]!.t;
  return {
    version: 1,
    name,
    seed: 1,
    run: { duration: `${Math.ceil(last / 1000) + 30}s`, warmup: '0s', window: '1s' },
    components,
    links: [],
  };
}
