import { z } from 'zod';
import { durationDist } from '../core/dist-spec.ts';
import { duration, positiveInt } from '../core/units.ts';

/** The reverse-proxy config (NGINX-like). */
export const proxySchema = z.strictObject({
  upstream: z.string().describe('component id; a replicated group is balanced round robin'),
  tls: z
    .strictObject({
      handshake: durationDist()
        .default(100)
        .describe('CPU per full handshake (ECDSA ≈ 0.1 ms, RSA-2048 ≈ 1 ms)'),
      perRequest: durationDist().default(5).describe('CPU per request for record encryption'),
    })
    .optional()
    .describe('TLS termination; omitted: plain HTTP'),
  keepaliveTimeout: duration()
    .default(75_000_000)
    .describe('keepalive_timeout: a client idle longer needs a new handshake'),
  overhead: durationDist()
    .default(100)
    .describe('proxy CPU per request (parsing, headers, logging)'),
  static: z
    .array(
      z.strictObject({
        prefix: z.string().min(1).describe('paths starting with this are served here'),
        service: durationDist().default(200).describe('time to serve one file'),
        status: z.number().int().min(100).max(599).default(200).describe('status of the answer'),
      }),
    )
    .default([])
    .describe('paths served directly from disk'),
  connectTimeout: duration().default(60_000_000).describe('proxy_connect_timeout'),
  readTimeout: duration().default(60_000_000).describe('proxy_read_timeout ⇒ 504'),
  maxConnections: positiveInt()
    .default(1024)
    .describe('worker_connections × worker_processes ⇒ 503'),
  cores: positiveInt().optional().describe('worker_processes sharing CPU (processor sharing)'),
});
/** A parsed proxy config. */
export type ProxyConfig = z.output<typeof proxySchema>;
