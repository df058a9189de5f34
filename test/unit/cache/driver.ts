import { type Behavior, Simulation } from '../../../engine/index.ts';
import { Probe } from '../../../models/core/probe.ts';
import {
  type HttpRequest,
  type HttpRequestMessage,
  type HttpResponseMessage,
  type Method,
  newPhases,
  reply,
  response,
} from '../../../models/http/messages.ts';
import { Network } from '../../../models/net/network.ts';

let nextId = 1;
/** A minimal HTTP request for tests. */
export function makeReq(key: number, method: Method = 'GET', ifNoneMatch?: string): HttpRequest {
  const id = nextId++;
  return {
    id,
    origin: id,
    attempt: 0,
    client: 'client',
    clientIp: 1,
    method,
    route: '/item/{key}',
    className: 'item',
    key,
    user: 0,
    tier: 'free',
    idempotent: method !== 'POST',
    headers: ifNoneMatch === undefined ? {} : { ifNoneMatch },
    size: 100,
    intendedAt: 0,
    phases: newPhases(),
    spans: undefined,
  };
}

/** A test origin: answers after `delay` µs with 200 + max-age, or `status` when failing. */
export interface OriginState {
  delay: number;
  maxAge: number | undefined;
  status: number;
  requests: number;
  conditional: number;
  concurrent: number;
  maxConcurrent: number;
  notFound: Set<number>;
}

/** Behaviour of the test origin. */
export const originBehavior: Behavior<OriginState> = {
  on: {
    'http.request': (s, m: HttpRequestMessage, ctx) => {
      s.requests++;
      if (m.req.headers.ifNoneMatch !== undefined) s.conditional++;
      s.concurrent++;
      s.maxConcurrent = Math.max(s.maxConcurrent, s.concurrent);
      const status = s.notFound.has(m.req.key) ? 404 : s.status;
      const headers = s.maxAge === undefined ? {} : { maxAge: s.maxAge };
      const msg = reply(m.req, m.tag, response(status, 'origin', 'ok', 1000, headers));
      ctx.after(s.delay, { type: 'origin.send', to: m.replyTo, msg } as never);
    },
    'origin.send': (s, m: { to: number; msg: HttpResponseMessage }, ctx) => {
      s.concurrent--;
      ctx.send(m.to, m.msg);
    },
  },
};

/** A test client collecting statuses and reasons. */
export interface SinkState {
  readonly statuses: number[];
  readonly reasons: string[];
}
/** Behaviour of the test client: records every response. */
export const sinkBehavior: Behavior<SinkState> = {
  on: {
    'http.response': (s, m: HttpResponseMessage) => {
      s.statuses.push(m.res.status);
      s.reasons.push(m.res.reason);
    },
  },
};

/** A fresh simulation with an origin, a sink, a network without links and a probe factory. */
export function harness(seed = 1) {
  const sim = new Simulation({ seed });
  const network = new Network(sim, []);
  const origin: OriginState = {
    delay: 50_000,
    maxAge: 60,
    status: 200,
    requests: 0,
    conditional: 0,
    concurrent: 0,
    maxConcurrent: 0,
    notFound: new Set(),
  };
  const originRef = sim.spawn('origin', originBehavior, origin);
  const sink: SinkState = { statuses: [], reasons: [] };
  const sinkRef = sim.spawn('client', sinkBehavior, sink);
  const probe = (id: string) => new Probe(id, id, 0);
  let tag = 0;
  const send = (to: number, req: HttpRequest, at: number) => {
    const msg: HttpRequestMessage = { type: 'http.request', req, replyTo: sinkRef, tag: ++tag };
    sim.schedule(to, msg, at - sim.now);
  };
  return { sim, network, origin, originRef, sink, sinkRef, probe, send };
}
