import type { SimTime } from '../../engine/index.ts';
import type { HttpResponse } from '../http/messages.ts';
import { browserKey } from './browser.ts';
import type { ClientState, Job } from './job.ts';
import type { RequestSpec } from './mix.ts';

/**
 * The spec a write is sent with: the ETag of the copy the user last read (the browser cache's
 * entry for a GET of the same route and key) as ground truth for lost updates, If-Match with it
 * when the class asks, and the Idempotency-Key `id` (the logical request's id) when it asks.
 * Safe methods, and clients without a browser cache or keys, get `spec` back unchanged.
 */
export function restSpec(
  state: ClientState,
  spec: RequestSpec,
  clientIp: number,
  id: number,
): RequestSpec {
  if (spec.method === 'GET' || spec.method === 'HEAD' || spec.method === 'OPTIONS') return spec;
  const b = state.browser;
  const key = b === undefined ? undefined : browserKey({ ...spec, method: 'GET' }, clientIp);
  const etag = key === undefined ? undefined : b!.cache.etagOf(key);
  if (etag === undefined && spec.idempotencyKey !== true) return spec;
  const headers = { ...spec.headers };
  if (etag !== undefined) {
    headers.basedOn = etag;
    if (spec.ifMatch === true) headers.ifMatch = etag;
  }
  if (spec.idempotencyKey === true) headers.idempotencyKey = id;
  return { ...spec, headers };
}

/** A successful write's new ETag replaces the one of the user's copy (see BrowserCache.rewrite). */
export function noteWrite(state: ClientState, job: Job, res: HttpResponse, now: SimTime): void {
  const b = state.browser;
  const etag = res.headers.etag;
  if (b === undefined || etag === undefined || res.status >= 300 || job.browserKey !== undefined)
    return;
  const key = browserKey({ ...job.spec, method: 'GET' }, job.clientIp);
  if (key !== undefined) b.cache.rewrite(key, etag, now);
}
