import { ScenarioRun } from '../models/scenario/build.ts';
import { validateScenario } from '../models/scenario/load.ts';
import type { Outcome, Row } from './schedule.ts';

/** The per-request facts stacksim records for one replayed row, in row order. */
export interface SimOutcome extends Outcome {
  /** Components whose spans the request crossed (which backend served it). */
  readonly components: readonly string[];
  /** Why the last component answered as it did (e.g. an http-cache's 'cache-hit'). */
  readonly reason?: string;
  /** Phases the request's spans crossed (e.g. 'coalesced' when it joined another's fetch). */
  readonly phases?: readonly string[];
}

/**
 * Runs `scenario` (a raw scenario object whose client `clients` replays `rows`) and returns one
 * outcome per row: status, latency (ms) and the member that served it (the span of phase
 * 'service' whose component starts with `upstreamPrefix`).
 */
export function simulate(
  raw: Record<string, unknown>,
  rows: readonly Row[],
  upstreamPrefix: string,
): SimOutcome[] {
  const v = validateScenario(raw);
  if (!v.ok) throw new Error(`conformance scenario invalid: ${JSON.stringify(v.issues)}`);
  const run = new ScenarioRun(v.scenario, { traceRequests: rows.length * 2 + 10 });
  run.finish();
  const kept = run.built.tracer?.kept() ?? [];
  const sorted = [...kept].sort((a, b) => a.start - b.start || a.id - b.id);
  if (sorted.length !== rows.length) {
    throw new Error(`stacksim finished ${sorted.length} of ${rows.length} replayed requests`);
  }
  return sorted.map((t) => {
    const comps = [...new Set(t.spans.map((s) => s.component))];
    const served = t.spans.filter(
      (s) => s.phase === 'service' && s.component.startsWith(upstreamPrefix),
    );
    const last = served[served.length - 1];
    return {
      status: t.status,
      upstream: last === undefined ? '' : last.component,
      latencyMs: (t.end - t.start) / 1000,
      components: comps,
      reason: t.reason,
      phases: [...new Set(t.spans.map((s) => s.phase))],
    };
  });
}
