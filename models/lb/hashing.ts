import { z } from 'zod';
import { hashString } from '../../engine/index.ts';
import type { HttpRequest } from '../http/messages.ts';

/** Which request field a hashing balancer keys on (NGINX `hash $x`, HAProxy `balance hdr()`). */
export const hashOnSchema = z
  .enum(['ip', 'user', 'route', 'session', 'key'])
  .default('ip')
  .describe('request field to hash: client ip, user id, route, session cookie or object key');
/** A parsed hash-on field. */
export type HashOn = z.output<typeof hashOnSchema>;

/** Avalanche finaliser (murmur3 fmix32): spreads nearby inputs over all 32 bits. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A well-mixed unsigned 32-bit hash of a string. */
export function hash32(s: string): number {
  return mix32(hashString(s));
}

/** The unsigned 32-bit hash of the request field `on` (missing session ⇒ client ip). */
export function requestHash(req: HttpRequest, on: HashOn): number {
  switch (on) {
    case 'ip':
      return mix32(req.clientIp >>> 0);
    case 'user':
      return mix32((req.user >>> 0) ^ 0x5bd1e995);
    case 'route':
      return hash32(req.route);
    case 'session':
      return req.headers.session === undefined
        ? mix32(req.clientIp >>> 0)
        : mix32((req.headers.session >>> 0) ^ 0x27d4eb2d);
    case 'key':
      return mix32((req.key >>> 0) ^ 0x165667b1);
  }
}

/** The dotted IPv4 text of a client address (clientIp read as the 32-bit number a.b.c.d). */
export function dottedIp(clientIp: number): string {
  const ip = clientIp >>> 0;
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** The request field `on` as the text NGINX would hash (`$request_uri`, `$remote_addr`, …). */
export function requestText(req: HttpRequest, on: HashOn): string {
  switch (on) {
    case 'ip':
      return dottedIp(req.clientIp);
    case 'user':
      return String(req.user);
    case 'route':
      return req.route;
    case 'session':
      return req.headers.session === undefined
        ? dottedIp(req.clientIp)
        : String(req.headers.session);
    case 'key':
      return String(req.key);
  }
}
