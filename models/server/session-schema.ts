import { z } from 'zod';
import { duration } from '../core/units.ts';

/** The session cookie's attributes (RFC 6265 Set-Cookie; express-session `cookie`). */
export const sessionCookieSchema = z.strictObject({
  name: z.string().min(1).default('sid').describe('cookie name (express-session: connect.sid)'),
  maxAge: duration()
    .optional()
    .describe('Max-Age the cookie carries; omitted: the absolute timeout'),
  httpOnly: z
    .boolean()
    .default(true)
    .describe('HttpOnly: hidden from page scripts (inert here: no scripts run)'),
  secure: z.boolean().default(true).describe('Secure: stored and sent only over TLS'),
  sameSite: z
    .enum(['Strict', 'Lax', 'None'])
    .default('Lax')
    .describe('SameSite: Strict/Lax are not sent on cross-site fetches; None needs Secure'),
  path: z
    .string()
    .regex(/^\//, 'a path starting with /')
    .default('/')
    .describe('Path: sent for this path and below'),
  domain: z
    .string()
    .min(1)
    .optional()
    .describe('Domain: also sent to subdomains; omitted: host-only'),
});

/** Server-side sessions: where they live, their cookie, timeouts and the store-outage policy. */
export const sessionsSchema = z.strictObject({
  store: z.string().min(1).describe('kv-store id holding the sessions (Redis, Memcached)'),
  cookie: sessionCookieSchema.prefault({}).describe('the session cookie a login sets'),
  idleTimeout: duration()
    .default(1_800_000_000)
    .describe('session ends this long after its last use (each use refreshes it); default 30m'),
  absoluteTimeout: duration()
    .default(28_800_000_000)
    .describe('session ends this long after the login whatever its use; default 8h'),
  timeout: duration().optional().describe('per store call (a timeout counts as a store failure)'),
  onStoreFailure: z
    .enum(['fail-closed', 'fail-open'])
    .default('fail-closed')
    .describe('store down or timing out: refuse (failStatus) or let the request through unchecked'),
  failStatus: z
    .union([z.literal(401), z.literal(503)])
    .default(503)
    .describe('status of a fail-closed refusal'),
});
/** Parsed sessions config. */
export type SessionsConfig = z.output<typeof sessionsSchema>;
