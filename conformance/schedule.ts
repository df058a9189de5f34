/**
 * The replay file both sides run: one row per request at a scripted instant. `client` is a
 * client number (1..): stacksim's replay `user` (its client address is derived from it) and, on
 * the real side, the address 10.0.x.y sent as X-Forwarded-For (or a 127.0.0.x source address).
 */
export interface Row {
  /** Milliseconds after the start of the schedule. */
  readonly t: number;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Object key (hash balancing, caches); 0 when unused. */
  readonly key: number;
  readonly client: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What one request came back with, on either side. */
export interface Outcome {
  /** HTTP status; 0 when the request failed without a response. */
  readonly status: number;
  /** Which upstream served it ('' when none did). */
  readonly upstream: string;
  /** Time from the scheduled send to the end of the response, ms. */
  readonly latencyMs: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The IPv4 address standing for client `n` (1..65 535) in X-Forwarded-For. */
export function clientAddress(n: number): string {
  return `10.0.${(n >> 8) & 255}.${n & 255}`;
}

/** The replay rows stacksim's `client.open` takes: [seconds, method, route, key, user]. */
export function replayRows(rows: readonly Row[]): [number, string, string, number, number][] {
  return rows.map((r) => [r.t / 1000, r.method, r.path, r.key, r.client]);
}

/** Rows from `times` (ms), all for one path, key and client unless `at` varies them. */
export function rowsAt(
  times: readonly number[],
  at: (i: number) => Partial<Row> = () => ({}),
): Row[] {
  return times.map((t, i) => ({ t, method: 'GET', path: '/r', key: 0, client: 1, ...at(i) }));
}
