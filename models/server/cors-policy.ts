import { z } from 'zod';
import { duration } from '../core/units.ts';
import type { AccessControl, HttpRequest } from '../http/messages.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** A server's CORS policy (Express `cors`, Django `django-cors-headers`, NGINX add_header). */
export const corsPolicySchema = z.strictObject({
  origins: z
    .union([z.literal('*'), z.array(z.string().min(1)).min(1)])
    .describe('allowed origins ("https://app.example.com"), or "*" for any'),
  methods: z
    .array(z.enum(METHODS))
    .default(['GET', 'HEAD', 'POST'])
    .describe('Access-Control-Allow-Methods'),
  headers: z
    .array(z.string().min(1))
    .default([])
    .describe('Access-Control-Allow-Headers (e.g. "Authorization", "Content-Type")'),
  credentials: z
    .boolean()
    .default(false)
    .describe('Access-Control-Allow-Credentials: cookies and Authorization may be used'),
  maxAge: duration()
    .optional()
    .describe('Access-Control-Max-Age (omitted: browsers cache a preflight 5 s)'),
});
/** A parsed CORS policy. */
export type CorsPolicy = z.output<typeof corsPolicySchema>;

/** Whether the request is a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method). */
export function isPreflight(req: HttpRequest): boolean {
  return (
    req.method === 'OPTIONS' &&
    req.headers.origin !== undefined &&
    req.headers.requestMethod !== undefined
  );
}

/**
 * The Access-Control-* headers the policy puts on an answer to `req`, or undefined when the
 * request has no Origin or the origin is not allowed (the browser then blocks the answer).
 */
export function accessControl(
  policy: CorsPolicy,
  req: HttpRequest,
  preflight: boolean,
): AccessControl | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  const any = policy.origins === '*';
  if (!any && !policy.origins.includes(origin)) return undefined;
  // '*' is sent as configured, credentials or not: browsers then refuse credentialed answers.
  const allowOrigin = any ? '*' : origin;
  const base: AccessControl = policy.credentials
    ? { allowOrigin, allowCredentials: true }
    : { allowOrigin };
  if (!preflight) return base;
  return {
    ...base,
    allowMethods: policy.methods,
    allowHeaders: policy.headers.map((h) => h.toLowerCase()),
    ...(policy.maxAge === undefined ? {} : { maxAge: Math.round(policy.maxAge / 1_000_000) }),
  };
}
