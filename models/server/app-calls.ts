// Sending a store call from an app server: which replica of the store gets it, and the message.
import type { Context } from '../../engine/index.ts';
import type { StoreCall } from '../core/call.ts';
import type { AppState, Job } from './app-state.ts';

/** The next member (round robin) of store component `id`, resolved once. */
export function storeRef(s: AppState, ctx: Context, id: string): number {
  let entry = s.refs.get(id);
  if (entry === undefined) {
    entry = { refs: s.env.members(id).map((m) => ctx.lookup(m)), next: 0 };
    s.refs.set(id, entry);
  }
  const ref = entry.refs[entry.next % entry.refs.length]!;
  entry.next++;
  return ref;
}

/** Sends a store call for `job` (tag 0: nobody waits for the reply). */
export function sendCall(
  s: AppState,
  ctx: Context,
  store: string,
  op: StoreCall['op'],
  key: number,
  tag: number,
  job: Job,
  queryClass?: string,
  ttl = 0,
  value?: number,
): void {
  const msg: StoreCall = {
    type: 'store.call',
    op,
    key,
    queryClass,
    ttl: ttl === 0 ? undefined : ttl,
    req: job.msg.req,
    replyTo: ctx.self,
    tag,
    ...(value === undefined ? {} : { value }),
  };
  s.env.network.send(ctx, storeRef(s, ctx, store), msg);
}
