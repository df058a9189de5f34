import type { BuildEnv } from '../core/component.ts';
import type { Probe } from '../core/probe.ts';
import type { RateLimiterConfig } from './component.ts';
import { windowBound } from './limiter.ts';
import { LimiterStats } from './stats.ts';

/** Limiter stats shared by the replicas of one component in one build (merged view). */
const sharedStats = new WeakMap<BuildEnv, Map<string, LimiterStats>>();

export function statsFor(
  env: BuildEnv,
  componentId: string,
  config: RateLimiterConfig,
  probe: Probe,
): LimiterStats {
  let byId = sharedStats.get(env);
  if (byId === undefined) {
    byId = new Map();
    sharedStats.set(env, byId);
  }
  let stats = byId.get(componentId);
  if (stats === undefined) {
    stats = new LimiterStats(
      config.headers,
      windowBound(config.algorithm),
      undefined,
      config.burstWindow,
    );
    byId.set(componentId, stats);
    const st = stats;
    st.onGrow = (name, now, n) => probe.count(name, now, n);
    st.announce(0);
    probe.extras = { reset: (now) => st.reset(now), summary: () => st.summary() };
  }
  return stats;
}
