import type { Behavior } from '../../engine/index.ts';
import type { StoreReply } from '../core/call.ts';
import { defineComponent, type Reference } from '../core/component.ts';
import type { HttpRequestMessage } from '../http/messages.ts';
import type { FaultMessage } from '../scenario/timeline.ts';
import { advance, afterCall, issue, type WakeTimer } from './app-exec.ts';
import {
  admit,
  crash,
  drainBacklog,
  finishJob,
  killWorker,
  type RespawnTimer,
  recordCall,
  restart,
  type WorkerTimeoutTimer,
} from './app-lifecycle.ts';
import { type AppServerConfig, appServerSchema, type StepSpec } from './app-schema.ts';
import { type AppState, appServerState, makePools } from './app-state.ts';
import type { CpuTimer } from './cpu.ts';
import type { GateKind } from './gate.ts';

function releasePool(s: AppState, store: string, ctx: Parameters<typeof advance>[2]): void {
  const next = s.pools.get(store)?.release();
  if (next === undefined) return;
  const p = s.pending.get(next);
  if (p === undefined || p.kind !== 'pool') return;
  ctx.cancel(p.timer);
  s.pending.delete(next);
  issue(s, p.fiber, p.op, next, true, ctx);
}

/** The app-server actor: admission, workers, middleware and handlers, faults. */
export const appServerBehavior: Behavior<AppState> = {
  on: {
    'http.request': (s, msg: HttpRequestMessage, ctx) => admit(s, msg, ctx),
    'store.reply': (s, msg: StoreReply, ctx) => {
      const p = s.pending.get(msg.tag);
      if (p === undefined || p.kind !== 'call') return;
      s.pending.delete(msg.tag);
      dropTag(p.fiber.job.tags, msg.tag);
      if (p.timer >= 0) ctx.cancel(p.timer);
      if (p.pooled) releasePool(s, p.op.store, ctx);
      recordCall(s, p.fiber.job, p.op, p.sentAt, ctx.now);
      afterCall(s, p.fiber, p.op, msg.outcome, ctx, msg);
    },
    'app.wake': (s, msg: WakeTimer, ctx) => {
      const p = s.pending.get(msg.tag);
      if (p === undefined) return;
      s.pending.delete(msg.tag);
      dropTag(p.fiber.job.tags, msg.tag);
      if (p.kind === 'wait') {
        advance(s, p.fiber, ctx);
        return;
      }
      if (p.kind === 'pool') {
        s.pools.get(p.op.store)?.abandon(msg.tag);
        const status = s.config.pools[p.op.store]?.timeoutStatus ?? 500;
        finishJob(s, p.fiber.job, status, 'pool-timeout', ctx);
        return;
      }
      if (p.pooled) releasePool(s, p.op.store, ctx);
      if (p.kind === 'call') recordCall(s, p.fiber.job, p.op, p.sentAt, ctx.now);
      afterCall(s, p.fiber, p.op, 'timeout', ctx);
    },
    'cpu.tick': (s, msg: CpuTimer, ctx) => cpuFinished(s, msg, ctx),
    'app.worker-timeout': (s, msg: WorkerTimeoutTimer, ctx) => {
      const job = s.jobs.get(msg.job);
      if (job !== undefined && !job.done && job.worker >= 0) killWorker(s, job.worker, job, ctx);
    },
    'app.respawn': (s, msg: RespawnTimer, ctx) => {
      const w = s.workers[msg.worker];
      if (w !== undefined) w.down = false;
      drainBacklog(s, ctx);
    },
    'fault.crash': (s, _msg: FaultMessage, ctx) => {
      crash(s, ctx);
      // The process died: its in-process cache is gone (rebuilt empty on first use).
      if (s.local !== undefined) s.probe.count('localCacheLost', ctx.now, s.local.size);
      s.local = undefined;
    },
    'fault.restart': (s, _msg: FaultMessage, ctx) => restart(s, ctx, makePools(s.config)),
    'fault.slow': (s, msg: FaultMessage & { type: 'fault.slow' }, ctx) =>
      s.cpu.setSlow(ctx, msg.factor),
  },
};

function cpuFinished(s: AppState, msg: CpuTimer, ctx: Parameters<typeof advance>[2]): void {
  for (const fiber of s.cpu.onTimer(ctx, msg)) {
    fiber.job.inCpu--;
    if (!fiber.job.done) advance(s, fiber, ctx);
  }
}

function stepRefs(steps: readonly StepSpec[], path: (string | number)[], out: Reference[]): void {
  steps.forEach((step, i) => {
    const here = [...path, i];
    if ('call' in step)
      out.push({
        path: [...here, 'call'],
        id: step.call,
        acceptsGroup: true,
        carriesRequests: false,
      });
    if ('enqueue' in step)
      out.push({
        path: [...here, 'enqueue'],
        id: step.enqueue,
        acceptsGroup: true,
        carriesRequests: false,
      });
    if ('cache' in step) {
      out.push({
        path: [...here, 'cache'],
        id: step.cache,
        acceptsGroup: true,
        carriesRequests: false,
      });
      stepRefs(step.onMiss, [...here, 'onMiss'], out);
    }
    if ('localCache' in step) stepRefs(step.onMiss, [...here, 'onMiss'], out);
    if ('resource' in step)
      out.push({
        path: [...here, 'resource'],
        id: step.resource,
        acceptsGroup: false,
        carriesRequests: false,
      });
    if ('parallel' in step) {
      step.parallel.forEach((b, j) => {
        stepRefs(Array.isArray(b) ? b : [b], [...here, 'parallel', j], out);
      });
    }
  });
}

/** The components an app-server config names (stores, caches, session stores). */
export function appServerReferences(config: AppServerConfig): Reference[] {
  const out: Reference[] = [];
  config.routes.forEach((r, i) => {
    stepRefs(r.steps, ['routes', i, 'steps'], out);
    if (r.idempotency !== undefined) {
      out.push({
        path: ['routes', i, 'idempotency', 'store'],
        id: r.idempotency.store,
        acceptsGroup: false,
        carriesRequests: false,
      });
    }
  });
  config.middleware.forEach((m, i) => {
    if ('auth' in m && m.auth.store !== undefined) {
      out.push({
        path: ['middleware', i, 'auth', 'store'],
        id: m.auth.store,
        acceptsGroup: true,
        carriesRequests: false,
      });
    }
  });
  if (config.sessions !== undefined) {
    out.push({
      path: ['sessions', 'store'],
      id: config.sessions.store,
      acceptsGroup: true,
      carriesRequests: false,
    });
  }
  return out;
}

/**
 * Builds the `app-server` kind over a set of rate-limit gate kinds (the registry passes the
 * rate-limiting family's; the server family itself knows none).
 */
export function makeAppServerKind(gateKinds: readonly GateKind[]) {
  return defineComponent({
    type: 'app-server',
    description:
      'Application server (gunicorn sync/gthread, uvicorn, Node): workers, backlog, middleware chain, router and handler steps.',
    // A rateLimit step names a gate kind and carries its fields: checked here, so a bad step is
    // a validation issue (exit 2) rather than an exception when the server is built.
    schema: appServerSchema.superRefine((config, ctx) => {
      config.routes.forEach((r, i) => {
        if (r.session !== undefined && config.sessions === undefined) {
          const message = `a ${r.session} route needs the app's sessions (a store and cookie)`;
          ctx.addIssue({ code: 'custom', path: ['routes', i, 'session'], message });
        }
      });
      config.middleware.forEach((m, i) => {
        if (!('rateLimit' in m)) return;
        const at = ['middleware', i, 'rateLimit'];
        const kind = gateKinds.find((k) => k.algorithm === m.rateLimit.algorithm);
        if (kind === undefined) {
          const known = gateKinds.map((k) => k.algorithm).join(', ') || 'none';
          const message = `unknown rate-limit algorithm (known: ${known})`;
          ctx.addIssue({ code: 'custom', path: [...at, 'algorithm'], message });
          return;
        }
        for (const issue of kind.check?.(m.rateLimit) ?? [])
          ctx.addIssue({ code: 'custom', path: [...at, ...issue.path], message: issue.message });
      });
    }),
    replicable: true,
    references: appServerReferences,
    build(instance, env) {
      const probe = env.probe(instance.componentId, instance.actorId);
      const state = appServerState(instance.config, instance.componentId, probe, env, gateKinds);
      env.sim.spawn(instance.actorId, appServerBehavior, state);
    },
  });
}

/** Removes `tag` from a job's few pending tags (order does not matter). */
function dropTag(tags: number[], tag: number): void {
  const i = tags.indexOf(tag);
  if (i < 0) return;
  tags[i] = tags[tags.length - 1]!;
  tags.pop();
}

/** Kind `app-server` without rate-limit gates (tests); the registry uses makeAppServerKind. */
export const appServerKind = makeAppServerKind([]);
