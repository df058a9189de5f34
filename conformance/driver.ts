import { request } from 'node:http';
import { clientAddress, type Outcome, type Row } from './schedule.ts';

/** One request as the real product answered it, with the instant it was actually sent. */
export interface RealOutcome extends Outcome {
  /** When the request was really sent, ms after the schedule's start (timer jitter). */
  readonly sentMs: number;
  /** The same instant on the monotonic clock (CLOCK_MONOTONIC, ms), which nginx's timers use. */
  readonly sentMonoMs: number;
  /** When the product says it received the request, ms on its own clock (when it says). */
  readonly receivedMs?: number;
  /** How long the product says it held the request before passing it on (when it says). */
  readonly heldMs?: number;
}

/** Options of one replay against a real server. */
export interface DriveOptions {
  readonly port: number;
  /** Give up on one request after this long (its outcome is status 0). */
  readonly timeoutMs?: number;
  /** Extra headers per row (e.g. a cookie the client got from an earlier response). */
  readonly headersFor?: (
    i: number,
    row: Row,
    done: readonly (RealOutcome | undefined)[],
  ) => Record<string, string>;
  /** Send a row only once the previous one is answered (and not before its instant). */
  readonly sequential?: boolean;
  /** Start the schedule on a whole second of the wall clock (products count whole seconds). */
  readonly alignToSecond?: boolean;
  /** Called with the schedule's start (performance.now() ms, and wall-clock epoch ms). */
  readonly onStart?: (t0: number, wallT0: number) => void;
  /** Reads the product's own timing headers: received instant and holding time, ms. */
  readonly timing?: (h: Readonly<Record<string, string>>) => {
    receivedMs?: number;
    heldMs?: number;
  };
}

/**
 * Sends every row at its scripted instant (a fresh connection each, X-Forwarded-For set to the
 * row's client address) and resolves with one outcome per row, in row order.
 */
export function drive(rows: readonly Row[], opts: DriveOptions): Promise<RealOutcome[]> {
  const out: (RealOutcome | undefined)[] = rows.map(() => undefined);
  const wall = Date.now();
  const lead = opts.alignToSecond === true ? Math.ceil((wall + 200) / 1000) * 1000 - wall : 200;
  const t0 = performance.now() + lead;
  let left = rows.length;
  opts.onStart?.(t0, wall + lead);
  return new Promise((resolve) => {
    if (left === 0) resolve([]);
    const at = (i: number) => Math.max(0, t0 + rows[i]!.t - performance.now());
    const fire = (i: number) => {
      const row = rows[i]!;
      const sent = performance.now();
      const sentMono = Number(process.hrtime.bigint()) / 1e6;
      const headers: Record<string, string> = {
        'x-forwarded-for': clientAddress(row.client),
        'x-key': String(row.key),
        'x-sched': String(row.t),
        ...row.headers,
        ...(opts.headersFor?.(i, row, out) ?? {}),
      };
      let finished = false;
      const finish = (status: number, h: Record<string, string>) => {
        if (finished) return;
        finished = true;
        out[i] = {
          status,
          upstream: h['x-upstream'] ?? '',
          latencyMs: performance.now() - sent,
          headers: h,
          sentMs: sent - t0,
          sentMonoMs: sentMono,
          ...(status === 0 ? {} : (opts.timing?.(h) ?? {})),
        };
        if (--left === 0) resolve(out as RealOutcome[]);
        else if (opts.sequential === true) setTimeout(() => fire(i + 1), at(i + 1));
      };
      const req = request(
        {
          host: '127.0.0.1',
          port: opts.port,
          method: row.method,
          path: row.path,
          headers,
          agent: false,
        },
        (res) => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) h[k] = Array.isArray(v) ? v.join('\n') : v;
          }
          res.resume();
          res.on('end', () => finish(res.statusCode ?? 0, h));
          res.on('error', () => finish(0, h));
        },
      );
      req.setTimeout(opts.timeoutMs ?? 10_000, () => req.destroy());
      req.on('error', () => finish(0, {}));
      req.end();
    };
    if (opts.sequential === true) setTimeout(() => fire(0), at(0));
    else for (let i = 0; i < rows.length; i++) setTimeout(() => fire(i), at(i));
  });
}

/**
 * Wall clock minus monotonic clock, ms (µs precision): the monotonic time read just after the
 * wall clock's millisecond ticks over, the largest of a few tries (a late read only lowers it).
 */
export function wallMinusMonoMs(): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < 5; k++) {
    const start = Date.now();
    let now = start;
    let mono = 0;
    while (now === start) {
      now = Date.now();
      mono = Number(process.hrtime.bigint()) / 1e6;
    }
    best = Math.max(best, now - mono);
  }
  return best;
}
