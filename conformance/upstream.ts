import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { freePort } from './servers.ts';

/** What an upstream does with one request: answer after `delayMs`, or fail. */
export type UpstreamAction =
  | { readonly kind: 'ok'; readonly delayMs: number; readonly status?: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'hang' };

/** A scripted upstream: `act(n, req)` decides what its n-th request (0-based) gets. */
export interface UpstreamScript {
  readonly name: string;
  readonly act?: (n: number, req: IncomingMessage) => UpstreamAction;
}

/**
 * A small HTTP server on 127.0.0.1 that answers with headers `x-upstream: name` and
 * `x-upstream-at` (when the request arrived, epoch ms), counts the
 * requests it saw and the most it held at once. Health checks (`/health`) are answered at once
 * and not counted.
 */
export class Upstream {
  readonly name: string;
  seen = 0;
  inFlight = 0;
  maxInFlight = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly act: (n: number, req: IncomingMessage) => UpstreamAction;
  /** When true, health checks fail with 503 (scripted from outside). */
  unhealthy = false;
  /** When each health check arrived (performance.now() ms). */
  readonly checks: number[] = [];
  /** Whether each of those checks failed (answered 503). */
  readonly checkFailed: boolean[] = [];

  constructor(script: UpstreamScript) {
    this.name = script.name;
    this.act = script.act ?? (() => ({ kind: 'ok', delayMs: 0 }));
  }

  /** Listens on 127.0.0.1:`port`. */
  listen(port: number): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.url === '/health') {
      if (this.checks.length < 100_000) {
        this.checks.push(performance.now());
        this.checkFailed.push(this.unhealthy);
      }
      res.writeHead(this.unhealthy ? 503 : 200, { 'x-upstream': this.name }).end();
      return;
    }
    // When the request got here, wall-clock ms since the epoch (the products' clock).
    const at = (performance.timeOrigin + performance.now()).toFixed(2);
    const a = this.act(this.seen++, req);
    if (a.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (a.kind === 'hang') return;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const reply = () => {
      this.inFlight--;
      res.writeHead(a.status ?? 200, {
        'x-upstream': this.name,
        'x-upstream-at': at,
        'x-proxy-sent-at': String(req.headers['x-proxy-sent-at'] ?? ''),
        'content-length': '2',
      });
      res.end('ok');
    };
    if (a.delayMs <= 0) reply();
    else setTimeout(reply, a.delayMs);
  }

  /** Stops listening and drops open connections. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    if (server === undefined) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

/** Hold time of a request, ms, from its path /x/<ms>. */
export function holdOf(path: string): number {
  const n = Number(path.slice(path.lastIndexOf('/') + 1));
  return Number.isFinite(n) ? n : 0;
}

/**
 * Starts one upstream per weight (app0, app1, …) on a free port, each answering 200 after the
 * hold its request path ends with (holdOf); adds them to `into` (the caller stops them) and
 * returns their ports in order.
 */
export async function startHoldingUpstreams(
  weights: readonly number[],
  into: Upstream[],
): Promise<number[]> {
  const ports: number[] = [];
  for (const i of weights.keys()) {
    const port = await freePort();
    const up = new Upstream({
      name: `app${i}`,
      act: (_n, req) => ({ kind: 'ok', delayMs: holdOf(req.url ?? '') }),
    });
    await up.listen(port);
    into.push(up);
    ports.push(port);
  }
  return ports;
}
