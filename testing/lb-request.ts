import type { HttpRequest } from '../models/http/messages.ts';
import { newPhases } from '../models/http/messages.ts';

/** A minimal HttpRequest for balancer tests; fields can be overridden. */
export function lbRequest(id: number, over: Partial<HttpRequest> = {}): HttpRequest {
  return {
    id,
    origin: id,
    attempt: 0,
    client: 'src',
    clientIp: id,
    method: 'GET',
    route: '/item',
    className: 'default',
    key: id,
    user: id,
    tier: 'free',
    idempotent: true,
    headers: {},
    size: 0,
    intendedAt: 0,
    phases: newPhases(),
    spans: undefined,
    ...over,
  };
}
