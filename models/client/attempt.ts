import type { Context, SimTime } from '../../engine/index.ts';
import type { DnsAnswer, DnsQuery } from '../dns/messages.ts';
import { ledgerFor } from '../rest/ledger.ts';
import { noteAddress } from './address-switch.ts';
import { browserKey, consultBrowser } from './browser.ts';
import { type ClientState, closeStep, emptyPhases, type Job, newId } from './job.ts';
import type { RequestSpec } from './mix.ts';
import { endAttempt, finish, type RetryTimer } from './outcome.ts';
import { restSpec } from './rest-headers.ts';
import { chargeRequest, connect, release } from './transport.ts';

/** Timer message: the current attempt of `job` ran out of time. */
export interface AttemptTimer {
  readonly type: 'client.timeout';
  readonly job: number;
  readonly attempt: number;
}

/** Timer message: a DNS query got no answer in time. */
export interface DnsTimer {
  readonly type: 'client.dns-timeout';
  readonly tag: number;
}

/** Starts a user request intended at `intendedAt` (its latency clock starts there). */
export function startJob(
  state: ClientState,
  ctx: Context,
  spec: RequestSpec,
  intendedAt: SimTime,
  slot: number,
): Job {
  const ip =
    spec.user > 0 ? spec.user % 65_536 : Math.floor(ctx.rng('ip').next() * state.config.ips);
  const clientIp = ctx.self * 65_536 + ip;
  const key = state.browser === undefined ? undefined : browserKey(spec, clientIp);
  const decision = key === undefined ? undefined : consultBrowser(state, ctx.now, key, spec);
  const id = newId(state);
  const job: Job = {
    id,
    spec: decision?.spec ?? restSpec(state, spec, clientIp, id),
    clientIp,
    browserKey: key,
    intendedAt,
    slot,
    attempt: 0,
    step: 'connect',
    stepStart: intendedAt,
    tag: 0,
    timer: undefined,
    pool: undefined,
    conn: undefined,
    req: undefined,
    queued: false,
    relogged: false,
    prevSleep: 0,
    deadline: 0,
    phases: emptyPhases(),
    spans: state.tracer === undefined ? undefined : [],
    ledger: ledgerFor(spec.method),
  };
  state.jobs.set(job.id, job);
  state.probe.arrive(ctx.now);
  state.probe.count('offered', ctx.now);
  if (decision?.hit === true) {
    // Served from the browser cache: no DNS, connection or request.
    finish(state, ctx, job, 200, 'browser-cache');
    return job;
  }
  state.budget?.deposit(ctx.now);
  startAttempt(state, ctx, job);
  return job;
}

/** The browser → OS stub caches: a cached answer (counted by layer), or undefined. */
function stubLookup(state: ClientState, name: string, now: SimTime): DnsAnswer | undefined {
  const browser = state.dnsBrowser?.lookup(name, now);
  if (browser !== undefined) {
    state.probe.count('dnsBrowserHits', now);
    return browser;
  }
  const os = state.dnsOs?.lookup(name, now);
  if (os !== undefined) {
    state.probe.count('dnsOsHits', now);
    state.dnsBrowser?.store(name, os, now);
  }
  return os;
}

function startAttempt(state: ClientState, ctx: Context, job: Job): void {
  const now = ctx.now;
  state.probe.count('attempts', now);
  job.relogged = false;
  if (job.attempt > 0) state.probe.count('retries', now);
  const t: AttemptTimer = { type: 'client.timeout', job: job.id, attempt: job.attempt };
  job.timer = ctx.timeout(state.config.timeout, t);
  job.deadline = now + state.config.timeout;
  const dns = state.config.dns;
  if (dns === undefined) {
    connect(state, ctx, job, state.target);
    return;
  }
  const name = dns.name ?? state.config.target;
  const cached = stubLookup(state, name, now);
  if (cached !== undefined) {
    const address = cached.addresses[0];
    if (cached.rcode === 'NOERROR' && address !== undefined) {
      noteAddress(state.probe, address, now);
      connect(state, ctx, job, ctx.lookup(address));
    } else {
      endAttempt(
        state,
        ctx,
        job,
        0,
        cached.rcode === 'NOERROR' ? 'dns-NODATA' : `dns-${cached.rcode}`,
      );
    }
    return;
  }
  job.step = 'dns';
  const pending = state.dnsPending.get(name);
  if (pending !== undefined) {
    pending.waiters.push(job);
    return;
  }
  const tag = state.nextTag++;
  const query: DnsQuery = { type: 'dns.query', name, replyTo: ctx.self, tag };
  state.probe.count('dnsQueries', now);
  state.network.send(ctx, state.resolver, query, 64, true); // UDP
  const expiry: DnsTimer = { type: 'client.dns-timeout', tag };
  const timer = ctx.timeout(dns.timeout, expiry);
  state.dnsPending.set(name, { tag, name, waiters: [job], timer });
  state.dnsTags.set(tag, name);
}

/** A backoff ended: the next attempt starts. */
export function onRetry(state: ClientState, ctx: Context, msg: RetryTimer): void {
  const job = state.jobs.get(msg.job);
  if (job === undefined || job.step !== 'backoff') return;
  closeStep(job, 'backoff', ctx.now, 'connect');
  job.attempt++;
  startAttempt(state, ctx, job);
}

function settleQuery(state: ClientState, ctx: Context, tag: number): Job[] | undefined {
  const name = state.dnsTags.get(tag);
  if (name === undefined) return undefined;
  const q = state.dnsPending.get(name)!;
  state.dnsTags.delete(tag);
  state.dnsPending.delete(name);
  ctx.cancel(q.timer);
  for (const job of q.waiters) closeStep(job, 'dns', ctx.now, 'connect');
  return q.waiters;
}

/** A resolver answered: the stub caches keep it; waiting jobs connect to the first address or fail with 'dns-<rcode>'. */
export function onDnsAnswer(state: ClientState, ctx: Context, msg: DnsAnswer): void {
  const name = state.dnsTags.get(msg.tag);
  const waiters = settleQuery(state, ctx, msg.tag);
  if (waiters === undefined || name === undefined) return;
  const address = msg.addresses[0];
  // The OS cache keeps the answer first, then the browser (each clamps the TTL its own way).
  state.dnsOs?.store(name, msg, ctx.now);
  state.dnsBrowser?.store(name, msg, ctx.now);
  if (msg.rcode === 'NOERROR' && address !== undefined) {
    const ref = ctx.lookup(address);
    noteAddress(state.probe, address, ctx.now);
    for (const job of waiters) connect(state, ctx, job, ref);
    return;
  }
  const reason = msg.rcode === 'NOERROR' ? 'dns-NODATA' : `dns-${msg.rcode}`;
  for (const job of waiters) endAttempt(state, ctx, job, 0, reason);
}

/** A DNS query got no answer: its jobs fail with 'dns-timeout'. */
export function onDnsTimeout(state: ClientState, ctx: Context, msg: DnsTimer): void {
  const waiters = settleQuery(state, ctx, msg.tag) ?? [];
  for (const job of waiters) endAttempt(state, ctx, job, 0, 'dns-timeout');
}

/** The attempt timed out: withdraw it from wherever it waits, then retry or finish. */
export function onAttemptTimeout(state: ClientState, ctx: Context, msg: AttemptTimer): void {
  const job = state.jobs.get(msg.job);
  if (job === undefined || job.attempt !== msg.attempt || job.step === 'backoff') return;
  job.timer = undefined;
  const now = ctx.now;
  const h2 = state.config.connection.protocol === 'http2';
  switch (job.step) {
    case 'dns': {
      const name = state.config.dns?.name ?? state.config.target;
      const q = state.dnsPending.get(name);
      const i = q === undefined ? -1 : q.waiters.indexOf(job);
      if (i >= 0) q!.waiters.splice(i, 1);
      closeStep(job, 'dns', now, 'connect');
      break;
    }
    case 'connect':
      job.pool?.cancel(job);
      if (job.queued) state.probe.queue.add(now, -1);
      job.queued = false;
      closeStep(job, 'connect', now, 'connect');
      break;
    case 'preflight':
    case 'login':
    case 'request':
      state.inflight.delete(job.tag);
      if (job.step === 'preflight') closeStep(job, 'preflight', now, 'request');
      else chargeRequest(job, job.req, now);
      // HTTP/1.1 cannot reuse a connection with a response outstanding; HTTP/2 resets the stream.
      release(state, ctx, job, h2);
      break;
  }
  state.probe.count('attemptTimeouts', now);
  endAttempt(state, ctx, job, 0, 'timeout');
}
