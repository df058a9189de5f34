import type { Behavior, Distribution } from '../../engine/index.ts';
import { addPhase, type HttpRequestMessage, reply, response } from '../../models/http/messages.ts';
import type { Network } from '../../models/net/network.ts';

/** How the test echo server answers: service time, failures, drops. */
export interface EchoOptions {
  readonly network: Network;
  /** Service time in µs: a constant or a distribution. */
  readonly service?: number | Distribution;
  /** Probability of answering `failStatus` instead of 200. */
  readonly failProb?: number;
  readonly failStatus?: number;
  /** Retry-After seconds sent with failures. */
  readonly retryAfter?: number;
  /** Probability of never answering. */
  readonly dropProb?: number;
}

/** What the echo server saw. */
export interface EchoState {
  readonly opts: EchoOptions;
  requests: number;
  readonly byMethod: Map<string, number>;
  /** Largest number of requests it served at once (service overlaps). */
  busy: number;
  maxBusy: number;
}

/** A test server: answers each http.request after its service time (infinite servers). */
export const echoBehavior: Behavior<EchoState> = {
  on: {
    'http.request': (state, msg: HttpRequestMessage, ctx) => {
      const o = state.opts;
      state.requests++;
      state.byMethod.set(msg.req.method, (state.byMethod.get(msg.req.method) ?? 0) + 1);
      const rng = ctx.rng('echo');
      if (o.dropProb !== undefined && rng.next() < o.dropProb) return;
      const s = o.service ?? 0;
      const service = Math.round(typeof s === 'number' ? s : s.sample(rng));
      const fail = o.failProb !== undefined && rng.next() < o.failProb;
      const status = fail ? (o.failStatus ?? 503) : 200;
      const headers = fail && o.retryAfter !== undefined ? { retryAfter: o.retryAfter } : {};
      addPhase(msg.req, 'service', ctx.id, ctx.now, ctx.now + service);
      state.busy++;
      state.maxBusy = Math.max(state.maxBusy, state.busy);
      ctx.after(service, { type: 'echo.done' });
      const back = o.network.delay(ctx, msg.replyTo, 0);
      if (back < 0) return;
      const res = response(status, ctx.id, fail ? 'echo-fail' : 'ok', 0, headers);
      ctx.send(msg.replyTo, reply(msg.req, msg.tag, res), service + back);
    },
    'echo.done': (state) => {
      state.busy--;
    },
  },
};

/** A fresh echo server state. */
export function echoState(opts: EchoOptions): EchoState {
  return { opts, requests: 0, byMethod: new Map(), busy: 0, maxBusy: 0 };
}
