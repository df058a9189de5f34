import { z } from 'zod';
import { duration, positiveInt } from '../core/units.ts';

/** How the client connects: protocol, TLS version, reuse and pool size. */
export const connectionSchema = z.strictObject({
  protocol: z
    .enum(['http1.1', 'http2'])
    .default('http1.1')
    .describe('HTTP/2 multiplexes requests on one connection'),
  tls: z
    .enum(['none', '1.2', '1.3'])
    .default('1.3')
    .describe('TLS version: 1.2 costs two round trips, 1.3 one'),
  resumption: z.boolean().default(true).describe('reuse TLS sessions for new connections'),
  zeroRtt: z.boolean().default(false).describe('TLS 1.3 0-RTT early data (idempotent requests)'),
  keepAlive: z.boolean().default(true).describe('reuse connections between requests'),
  poolSize: positiveInt(100_000)
    .optional()
    .describe('connections per host; default 6 for HTTP/1.1 (browsers), 1 for HTTP/2'),
  maxStreams: positiveInt().default(100).describe('HTTP/2 concurrent streams per connection'),
  idleTimeout: duration().default(90_000_000).describe('close idle pooled connections after'),
});
/** A parsed connection config. */
export type ConnectionConfig = z.output<typeof connectionSchema>;

/** Retransmission timeout of a lost SYN (RFC 6298 initial RTO). */
export const SYN_RTO = 1_000_000;
/** Retransmission timeout of a lost TLS flight (Linux TCP_RTO_MIN). */
export const DATA_RTO = 200_000;
/** Retransmissions before a handshake gives up (Linux tcp_syn_retries = 6). */
export const MAX_RETRANSMITS = 6;

/** Extra round trips of the TLS handshake for a new connection. */
export function tlsRoundTrips(
  config: ConnectionConfig,
  resumed: boolean,
  idempotent: boolean,
): number {
  switch (config.tls) {
    case 'none':
      return 0;
    case '1.2':
      return resumed ? 1 : 2;
    case '1.3':
      return resumed && config.zeroRtt && idempotent ? 0 : 1;
  }
}

/** The outcome of a handshake: time spent in TCP and TLS, or failure after `after` µs. */
export type Handshake =
  | { readonly ok: true; readonly tcp: number; readonly tls: number }
  | { readonly ok: false; readonly after: number };

/**
 * Times a TCP (+TLS) handshake. `oneWay()` draws a one-way delay over the link (-1 when the
 * packet is lost). A round trip with a lost packet is repeated after the retransmission timeout
 * (doubling), up to MAX_RETRANSMITS times per round trip; then the connect fails.
 */
export function handshake(oneWay: () => number, tlsRtts: number): Handshake {
  let tcp = 0;
  let tls = 0;
  for (let r = 0; r < 1 + tlsRtts; r++) {
    let rto = r === 0 ? SYN_RTO : DATA_RTO;
    let spent = 0;
    for (let tries = 0; ; tries++) {
      const out = oneWay();
      const back = out < 0 ? -1 : oneWay();
      if (out >= 0 && back >= 0) {
        spent += out + back;
        break;
      }
      if (tries >= MAX_RETRANSMITS) return { ok: false, after: tcp + tls + spent + rto };
      spent += rto;
      rto *= 2;
    }
    if (r === 0) tcp += spent;
    else tls += spent;
  }
  return { ok: true, tcp: Math.round(tcp), tls: Math.round(tls) };
}
