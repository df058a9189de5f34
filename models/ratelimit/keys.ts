import { z } from 'zod';
import type { HttpRequest } from '../http/messages.ts';
import type { LimiterKey } from './algorithm.ts';

/** Request attributes a limiter can key on; several are joined into one key. */
export const KEY_FIELDS = [
  'clientIp',
  'user',
  'apiKey',
  'tier',
  'route',
  'client',
  'global',
] as const;
/** One of KEY_FIELDS. */
export type KeyField = (typeof KEY_FIELDS)[number];

/** The `key` field of a limiter config: one attribute or a list to combine. */
export const keySpec = () =>
  z
    .union([z.enum(KEY_FIELDS), z.array(z.enum(KEY_FIELDS)).min(1).max(KEY_FIELDS.length)])
    .default('clientIp')
    .transform((k) => (typeof k === 'string' ? [k] : k));

function part(req: HttpRequest, field: KeyField): LimiterKey {
  switch (field) {
    case 'clientIp':
      return req.clientIp;
    case 'user':
      return req.user;
    case 'apiKey':
      return `${req.tier}:${req.user}`;
    case 'tier':
      return req.tier;
    case 'route':
      return `${req.method} ${req.route}`;
    case 'client':
      return req.client;
    case 'global':
      return 0;
  }
}

/** The limiter key of a request: a single attribute as is, several joined with '|'. */
export function keyOf(req: HttpRequest, fields: readonly KeyField[]): LimiterKey {
  if (fields.length === 1) return part(req, fields[0]!);
  let out = '';
  for (let i = 0; i < fields.length; i++)
    out += (i === 0 ? '' : '|') + String(part(req, fields[i]!));
  return out;
}
