import type { Context } from '../../engine/index.ts';
import { ActiveReplicas } from './active-replicas.ts';
import { desiredReplicas } from './autoscaler.ts';
import { type LbState, later } from './state.ts';

/** Timer message: a replica finished booting. */
export interface Provisioned {
  readonly type: 'lb.provisioned';
  readonly i: number;
}

/** Activates the first `min` backends, records the initial replica count and arms the timer. */
export function startScaling(state: LbState, ctx: Context): void {
  const a = state.config.autoscale;
  if (a === undefined) return;
  const { set } = state;
  for (let i = 0; i < set.n; i++) set.active[i] = i < a.min ? 1 : 0;
  state.health.changed(ctx);
  state.probe.count('replicas', ctx.now, Math.min(a.min, set.n));
  const active = new ActiveReplicas(ctx.now, Math.min(a.min, set.n));
  state.scaler.active = active;
  state.probe.extras = active;
  state.scaler.lastTime = ctx.now;
  state.scaler.lastChange = Number.NEGATIVE_INFINITY;
  ctx.after(a.interval, { type: 'lb.scale' });
}

/** Mean utilisation (busy area / capacity since the last tick) or in-flight count of active replicas. */
function readMetric(state: LbState, ctx: Context, active: readonly number[]): number {
  const a = state.config.autoscale!;
  const { set, scaler } = state;
  const dt = ctx.now - scaler.lastTime;
  let sum = 0;
  for (let i = 0; i < set.n; i++) {
    const probe = state.env.probes.get(set.name(i));
    const area = probe === undefined ? 0 : probe.busy.area(ctx.now);
    const delta = area >= scaler.lastArea[i]! ? area - scaler.lastArea[i]! : area;
    scaler.lastArea[i] = area;
    if (set.active[i] !== 1) continue;
    if (a.metric === 'inflight') sum += set.inflight(i);
    else if (probe !== undefined && dt > 0) sum += delta / (dt * Math.max(1, probe.capacity));
  }
  scaler.lastTime = ctx.now;
  return active.length === 0 ? 0 : sum / active.length;
}

/** One autoscaler decision (Kubernetes HPA rule, with steps, bounds and a cooldown). */
export function onScaleTick(state: LbState, ctx: Context): void {
  const a = state.config.autoscale!;
  const { set, scaler } = state;
  ctx.after(a.interval, { type: 'lb.scale' });
  const active: number[] = [];
  let provisioning = 0;
  for (let i = 0; i < set.n; i++) {
    if (set.active[i] === 1) active.push(i);
    provisioning += scaler.provisioning[i]!;
  }
  const metric = readMetric(state, ctx, active);
  state.probe.count('scale_metric_milli', ctx.now, Math.round(metric * 1000));
  if (ctx.now - scaler.lastChange < a.cooldown) return;
  const current = active.length + provisioning;
  const want = desiredReplicas(current, metric, a, Math.min(a.max ?? set.n, set.n));
  if (want > current) {
    let add = want - current;
    for (let i = 0; i < set.n && add > 0; i++) {
      if (set.active[i] === 1 || scaler.provisioning[i] === 1) continue;
      scaler.provisioning[i] = 1;
      later(ctx, a.provisioningDelay, { type: 'lb.provisioned', i } satisfies Provisioned);
      add--;
    }
    state.probe.count('scale_up', ctx.now, want - current - add);
    scaler.lastChange = ctx.now;
  } else if (want < current && provisioning === 0) {
    let remove = current - want;
    for (let k = active.length - 1; k >= 0 && remove > 0; k--, remove--) set.active[active[k]!] = 0;
    state.probe.count('scale_down', ctx.now, current - want - remove);
    state.probe.count('replicas', ctx.now, -(current - want - remove));
    scaler.active?.set(ctx.now, scaler.active.current - (current - want - remove));
    scaler.lastChange = ctx.now;
    state.health.changed(ctx);
  }
}

/** A replica finished booting: it joins (with slow start, if configured). */
export function onProvisioned(state: LbState, msg: Provisioned, ctx: Context): void {
  state.scaler.provisioning[msg.i] = 0;
  state.set.active[msg.i] = 1;
  state.probe.count('replicas', ctx.now, 1);
  state.scaler.active?.set(ctx.now, state.scaler.active.current + 1);
  state.health.changed(ctx);
}
