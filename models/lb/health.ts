import type { Context, SimTime } from '../../engine/index.ts';
import type { Probe } from '../core/probe.ts';
import type { BackendSet } from './backend-set.ts';
import type {
  ActiveCheckConfig,
  OutlierConfig,
  PassiveConfig,
  SlowStartConfig,
} from './health-config.ts';
import { SecondsPassive } from './passive-seconds.ts';
import { later } from './state.ts';

/** Health settings of one balancer; absent parts are off. */
export interface HealthConfig {
  readonly passive: PassiveConfig | undefined;
  readonly outlier: OutlierConfig | undefined;
  readonly active: ActiveCheckConfig | undefined;
  readonly slowStart: SlowStartConfig | undefined;
}

/** Timer message that ends a passive mark-down or an ejection. */
export interface UnmarkMessage {
  readonly type: 'lb.unmark';
  readonly i: number;
  readonly kind: 'passive' | 'eject';
}

/**
 * The health verdicts of one balancer over its BackendSet: NGINX passive marking, Envoy outlier
 * ejection, active-check rise/fall, and slow start after recovery. It also measures detection:
 * for each mark-down, the time since the first failure of the current streak and the requests
 * that failed on that backend meanwhile (counters detect_us, detections, lost_before_detect).
 */
export class Health {
  private readonly fails: Int32Array;
  private readonly failWindow: Float64Array;
  private readonly consecutive: Int32Array;
  private readonly timesEjected: Int32Array;
  private readonly rises: Int32Array;
  private readonly falls: Int32Array;
  private readonly streakStart: Float64Array;
  private readonly streakLost: Int32Array;
  private readonly rampStart: Float64Array;
  private readonly wasHealthy: Uint8Array;
  private rampTimer = false;
  private readonly seconds: SecondsPassive | undefined;

  private readonly set: BackendSet;
  private readonly config: HealthConfig;
  private readonly probe: Probe;

  constructor(set: BackendSet, config: HealthConfig, probe: Probe) {
    this.set = set;
    this.config = config;
    this.probe = probe;
    const n = set.n;
    const p = config.passive;
    this.seconds =
      p !== undefined && p.clock === 'seconds'
        ? new SecondsPassive(n, p.maxFails, p.failTimeout)
        : undefined;
    this.fails = new Int32Array(n);
    this.failWindow = new Float64Array(n);
    this.consecutive = new Int32Array(n);
    this.timesEjected = new Int32Array(n);
    this.rises = new Int32Array(n);
    this.falls = new Int32Array(n);
    this.streakStart = new Float64Array(n).fill(-1);
    this.streakLost = new Int32Array(n);
    this.rampStart = new Float64Array(n).fill(-1);
    this.wasHealthy = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.wasHealthy[i] = set.healthy(i) ? 1 : 0;
  }

  /** A proxied request to backend i ended; `failure` per proxy_next_upstream, `is5xx` for outliers. */
  onRequest(ctx: Context, i: number, failure: boolean, is5xx: boolean): void {
    const now = ctx.now;
    if (failure || is5xx) {
      this.probe.count('backend_failures', now);
      if (this.streakStart[i]! < 0) this.streakStart[i] = now;
      this.streakLost[i]!++;
    } else this.endStreak(i);
    const p = this.config.passive;
    if (this.seconds !== undefined && p !== undefined && p.maxFails > 0 && this.set.n > 1) {
      const until = this.seconds.onEnd(i, now, failure);
      if (until !== undefined && this.set.passiveDown[i] === 0) {
        this.set.passiveDown[i] = 1;
        this.probe.count('passive_marks', now);
        later(ctx, until - now, { type: 'lb.unmark', i, kind: 'passive' } satisfies UnmarkMessage);
        this.changed(ctx);
      }
    } else if (p !== undefined && p.maxFails > 0 && this.set.n > 1) {
      if (failure) {
        if (now - this.failWindow[i]! > p.failTimeout) this.fails[i] = 0;
        this.fails[i]!++;
        this.failWindow[i] = now;
        if (this.fails[i]! >= p.maxFails && this.set.passiveDown[i] === 0) {
          this.set.passiveDown[i] = 1;
          this.probe.count('passive_marks', now);
          later(ctx, p.failTimeout, {
            type: 'lb.unmark',
            i,
            kind: 'passive',
          } satisfies UnmarkMessage);
          this.changed(ctx);
        }
      } else this.fails[i] = 0;
    }
    const o = this.config.outlier;
    if (o !== undefined) {
      if (!is5xx && !failure) this.consecutive[i] = 0;
      else if (++this.consecutive[i]! >= o.consecutive5xx && this.set.ejected[i] === 0) {
        this.consecutive[i] = 0;
        let ejectedNow = 0;
        for (let k = 0; k < this.set.n; k++) ejectedNow += this.set.ejected[k]!;
        if (ejectedNow / this.set.n < o.maxEjectionPercent) {
          const times = ++this.timesEjected[i]!;
          this.set.ejected[i] = 1;
          this.probe.count('ejections', now);
          const d = Math.min(
            o.baseEjectionTime * times,
            Math.max(o.baseEjectionTime, o.maxEjectionTime),
          );
          later(ctx, d, { type: 'lb.unmark', i, kind: 'eject' } satisfies UnmarkMessage);
          this.changed(ctx);
        }
      }
    }
  }

  /** An active check of backend i ended (ok: 2xx/3xx within the check timeout). */
  onCheck(ctx: Context, i: number, ok: boolean): void {
    const a = this.config.active;
    if (a === undefined) return;
    if (ok) {
      this.falls[i] = 0;
      this.rises[i]!++;
      if (this.set.checkUp[i] === 0 && this.rises[i]! >= a.rise) {
        this.set.checkUp[i] = 1;
        this.probe.count('check_up', ctx.now);
        this.changed(ctx);
      }
      if (this.set.checkUp[i] === 1) this.endStreak(i);
    } else {
      this.rises[i] = 0;
      this.falls[i]!++;
      if (this.streakStart[i]! < 0) this.streakStart[i] = ctx.now;
      if (this.set.checkUp[i] === 1 && this.falls[i]! >= a.fall) {
        this.set.checkUp[i] = 0;
        this.probe.count('check_down', ctx.now);
        this.changed(ctx);
      }
    }
  }

  /** Ends a passive mark-down or an ejection. */
  onUnmark(ctx: Context, msg: UnmarkMessage): void {
    if (msg.kind === 'passive') {
      this.set.passiveDown[msg.i] = 0;
      const p = this.config.passive;
      // NGINX keeps `fails` at the limit: the next failure marks the server down again.
      if (p !== undefined) {
        this.fails[msg.i] = p.maxFails - 1;
        this.failWindow[msg.i] = ctx.now;
      }
    } else this.set.ejected[msg.i] = 0;
    this.changed(ctx);
  }

  /** Slow-start tick: recomputes ramping weights and keeps ticking while any backend ramps. */
  onRamp(ctx: Context): void {
    this.rampTimer = false;
    this.updateRamps(ctx);
  }

  /** Call after any flag of the set changed (health or activation): refreshes and records edges. */
  changed(ctx: Context): void {
    const now = ctx.now;
    for (let i = 0; i < this.set.n; i++) {
      const h = this.set.healthy(i) ? 1 : 0;
      if (h === this.wasHealthy[i]) continue;
      this.wasHealthy[i] = h;
      if (h === 0 && this.set.active[i] === 1) this.recordDetection(now, i);
      if (h === 1 && this.config.slowStart !== undefined) this.rampStart[i] = now;
    }
    this.updateRamps(ctx);
  }

  private recordDetection(now: SimTime, i: number): void {
    this.probe.count('detections', now);
    const start = this.streakStart[i]!;
    if (start >= 0) this.probe.count('detect_us', now, now - start);
    this.probe.count('lost_before_detect', now, this.streakLost[i]!);
    this.endStreak(i);
  }

  private endStreak(i: number): void {
    this.streakStart[i] = -1;
    this.streakLost[i] = 0;
  }

  private updateRamps(ctx: Context): void {
    const s = this.config.slowStart;
    let ramping = false;
    if (s !== undefined) {
      for (let i = 0; i < this.set.n; i++) {
        const t0 = this.rampStart[i]!;
        if (t0 < 0) continue;
        const f = rampFactor(s, ctx.now - t0);
        if (f >= 1) {
          this.rampStart[i] = -1;
          this.set.factor[i] = 1;
        } else {
          this.set.factor[i] = f;
          ramping = true;
        }
      }
      if (ramping && !this.rampTimer) {
        this.rampTimer = true;
        // haproxy: once a second from coming up (server_warmup); linear: every window/20
        const tick = s.ramp === 'haproxy' ? 1_000_000 : Math.max(1000, Math.round(s.window / 20));
        ctx.after(tick, { type: 'lb.ramp' });
      }
    }
    this.set.refresh();
  }
}

/**
 * The slow-start weight factor `elapsed` µs after a backend came up: linear, or HAProxy's
 * steps (server_recalc_eweight, run by the warmup task once a second from coming up):
 * ⌊(16k + S)/S⌋/16 in the k-th second, S the window in whole seconds rounded up; full weight
 * from k = S.
 */
export function rampFactor(s: SlowStartConfig, elapsed: SimTime): number {
  if (s.ramp === 'haproxy') {
    const S = Math.max(1, Math.ceil(s.window / 1_000_000));
    const k = Math.floor(elapsed / 1_000_000 + 1e-9);
    return k >= S ? 1 : Math.floor((16 * k + S) / S) / 16;
  }
  const f = elapsed / s.window;
  return f >= 1 ? 1 : Math.max(s.minWeightPercent, f);
}
