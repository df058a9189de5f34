import type { RealOutcome } from './driver.ts';
import type { Row } from './schedule.ts';
import type { SimOutcome } from './sim.ts';

/** One compared feature: how many requests and how many decisions agreed. */
export interface CaseResult {
  readonly product: string;
  readonly feature: string;
  /** 'exact' decisions must agree on ≥ 99%; 'approximate' ones within `tolerance`. */
  readonly kind: 'exact' | 'approximate';
  readonly compared: number;
  readonly agreed: number;
  /** For approximate cases: the measured gap and the allowed gap, as text. */
  readonly measure?: string;
  readonly pass: boolean;
  /** Each disagreement (at most a few) with what both sides did. */
  readonly disagreements: readonly string[];
  readonly note?: string;
  /**
   * A known stacksim defect owned by another issue: the case fails and says so in the table,
   * but does not fail the run (it would, were the defect to go unreported).
   */
  readonly knownDefect?: string;
}

/** A decision as both sides are compared: a label for the report plus the facts. */
export type Decide = (o: RealOutcome | SimOutcome) => string;

/**
 * Compares real and simulated outcomes row by row with `same`; lists the first disagreements
 * with the row, the real send instant and both decisions.
 */
export function compareRows(
  product: string,
  feature: string,
  rows: readonly Row[],
  real: readonly RealOutcome[],
  sim: readonly SimOutcome[],
  label: Decide,
  same: (r: RealOutcome, s: SimOutcome) => boolean = (r, s) => label(r) === label(s),
  note?: string,
  explain?: (i: number) => string | undefined,
): CaseResult {
  let agreed = 0;
  const disagreements: string[] = [];
  rows.forEach((row, i) => {
    const r = real[i]!;
    const s = sim[i]!;
    if (same(r, s)) agreed++;
    else if (disagreements.length < 12) {
      const why = explain?.(i);
      disagreements.push(
        `#${i} t=${row.t}ms (sent ${r.sentMs.toFixed(1)}ms) client ${row.client} ${row.path}: ` +
          `${product} ${label(r)}, stacksim ${label(s)}${why === undefined ? '' : ` — ${why}`}`,
      );
    }
  });
  const compared = rows.length;
  return {
    product,
    feature,
    kind: 'exact',
    compared,
    agreed,
    pass: compared > 0 && agreed >= 0.99 * compared,
    disagreements,
    ...(note === undefined ? {} : { note }),
  };
}

/**
 * When the product received each request on the monotonic clock (ms), for a product that
 * reports its wall-clock millisecond `receivedMs`: between w − Δ and w + 1 − Δ (Δ = wall −
 * monotonic) and not before it was sent; the estimate is 0.2 ms after the earliest such
 * instant (loopback delivery), kept inside the interval.
 */
export function receivedMono(o: RealOutcome, wallMinusMono: number): number {
  if (o.receivedMs === undefined) return o.sentMonoMs;
  const lo = Math.max(o.receivedMs - wallMinusMono, o.sentMonoMs);
  const hi = o.receivedMs + 1 - wallMinusMono;
  if (lo >= hi) return o.sentMonoMs;
  return Math.min(lo + 0.2, hi - 1e-3);
}

/**
 * Rows re-timed to the instants the product received them (`receivedMono`, when the product
 * reports them and `wallMinusMono` is given) or to the instants the harness really sent them,
 * shifted by a whole number of ms onto the schedule (so millisecond floors fall alike) or, with
 * `wallOrigin` (epoch ms), made the wall-clock time since that origin, µs
 * precision, and put in that order (stable). `order[k]` is the index in `rows` of the k-th
 * re-timed row.
 */
export function asSent(
  rows: readonly Row[],
  real: readonly RealOutcome[],
  wallMinusMono?: number,
  wallOrigin?: number,
): { rows: Row[]; order: number[] } {
  const at = real.map((o) =>
    wallMinusMono === undefined ? o.sentMonoMs : receivedMono(o, wallMinusMono),
  );
  // With a wall-clock origin, stacksim's time is the product's wall clock since then (its
  // whole seconds fall alike); otherwise whole ms of the monotonic clock onto the schedule.
  const base =
    wallOrigin !== undefined && wallMinusMono !== undefined
      ? wallOrigin - wallMinusMono
      : Math.floor(Math.min(...at)) - Math.max(0, Math.round(rows[0]?.t ?? 0));
  const timed = rows.map((r, i) => ({
    row: { ...r, t: Math.round((at[i]! - base) * 1000) / 1000 },
    i,
  }));
  timed.sort((a, b) => a.row.t - b.row.t || a.i - b.i);
  return { rows: timed.map((x) => x.row), order: timed.map((x) => x.i) };
}

/** Outcomes given in re-timed order back in row order. */
export function unpermute<T>(outcomes: readonly T[], order: readonly number[]): T[] {
  const out: T[] = new Array(outcomes.length);
  order.forEach((rowIndex, k) => {
    out[rowIndex] = outcomes[k]!;
  });
  return out;
}

/**
 * Explains a disagreement on row `i` when moving its replayed arrival by ±`shiftMs` (and
 * nothing else) makes stacksim decide as the product did: the request sat within that much
 * of an edge, closer than the product's arrival instant is known.
 */
export function edgeExplainer(
  sent: readonly Row[],
  order: readonly number[],
  run: (rows: Row[]) => SimOutcome[],
  real: readonly RealOutcome[],
  same: (r: RealOutcome, s: SimOutcome) => boolean,
  shiftMs = 1,
): (i: number) => string | undefined {
  return (i) => {
    const k = order.indexOf(i);
    for (const d of [-shiftMs, shiftMs]) {
      const lo = k > 0 ? sent[k - 1]!.t : 0;
      const hi = k + 1 < sent.length ? sent[k + 1]!.t : Number.POSITIVE_INFINITY;
      const moved = sent.map((r, j) =>
        j === k ? { ...r, t: Math.min(hi, Math.max(lo, r.t + d)) } : r,
      );
      const again = unpermute(run(moved), order);
      if (same(real[i]!, again[i]!)) {
        return `stacksim decides as the product with this arrival ${d > 0 ? 'later' : 'earlier'} by ${shiftMs} ms: an edge closer than the arrival is known`;
      }
    }
    return undefined;
  };
}

/**
 * For decisions that depend on real timing (least connections): the per-request result made
 * approximate, passing when each upstream's share of requests differs by at most `tolPp`
 * percentage points between the product and stacksim. The first disagreement is kept: after
 * one edge the algorithm's state differs and later picks cascade.
 */
export function asApproximateShare(
  r: CaseResult,
  real: readonly RealOutcome[],
  sim: readonly SimOutcome[],
  tolPp: number,
): CaseResult {
  const share = (xs: readonly { upstream: string }[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x.upstream, (m.get(x.upstream) ?? 0) + 100 / xs.length);
    return m;
  };
  const a = share(real);
  const b = share(sim);
  let gap = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    gap = Math.max(gap, Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0)));
  }
  return {
    ...r,
    kind: 'approximate',
    measure: `largest gap in an upstream's share of requests ${gap.toFixed(1)} pp, tolerance ${tolPp} pp`,
    pass: gap <= tolPp,
    disagreements: r.disagreements.slice(0, 1),
    note: 'least_conn decides on connections in flight, so on when each earlier request ended; a request within a few ms of a completion can go either way, and from that edge on the round-robin state of the tie-break differs, so later picks cascade. Compared per request until then; overall by share.',
  };
}

/** stacksim's outcomes after resynchronising at edges, and the edge rows with what happened. */
export interface Resynced {
  readonly sim: SimOutcome[];
  /** Row index → why it is an edge (what stacksim decided at the estimated arrival). */
  readonly edges: ReadonlyMap<number, string>;
}

/**
 * Compares until an edge, then resynchronises: the first request (in arrival order) on which
 * stacksim and the product disagree is an edge when moving its replayed arrival by ±`shiftMs`
 * (inside the interval its arrival is known to, and not past its neighbours) makes stacksim
 * decide as the product did. The moved arrival is then kept, so the limiter's state after it
 * is the product's, and the comparison goes on to the next disagreement. Each edge stays
 * counted as a disagreement (the caller counts it); a disagreement no shift explains stays as
 * it is. At most `maxEdges` edges are resynchronised (a bound on the replays).
 */
export function resyncAtEdges(
  sent: readonly Row[],
  order: readonly number[],
  run: (rows: Row[]) => SimOutcome[],
  real: readonly RealOutcome[],
  same: (r: RealOutcome, s: SimOutcome) => boolean,
  label: Decide,
  shiftMs = 1,
  maxEdges = 12,
  exact: (r: RealOutcome, s: SimOutcome) => boolean = same,
): Resynced {
  // Arrival instants by row index; a moved row may pass rows of other clients (re-sorted).
  const at = new Map(order.map((i, k) => [i, sent[k]!] as const));
  const replay = (times: ReadonlyMap<number, Row>) => {
    const o = [...times.keys()].sort((a, b) => times.get(a)!.t - times.get(b)!.t || a - b);
    return unpermute(run(o.map((i) => times.get(i)!)), o);
  };
  let sim = replay(at);
  const edges = new Map<number, string>();
  const seen = new Set<number>();
  const byTime = () => [...at.keys()].sort((a, b) => at.get(a)!.t - at.get(b)!.t || a - b);
  for (let guard = 0; guard < sent.length && edges.size < maxEdges; guard++) {
    // `exact` (e.g. the same delay to the ms) finds where the state drifts, even within the
    // tolerance of `same`; only what `same` rejects is an edge (a disagreement).
    const i = byTime().find((j) => !seen.has(j) && !exact(real[j]!, sim[j]!));
    if (i === undefined) break;
    seen.add(i);
    for (const d of [-shiftMs, shiftMs]) {
      const row = at.get(i)!;
      const moved = new Map(at);
      moved.set(i, { ...row, t: Math.max(0, Math.round((row.t + d) * 1000) / 1000) });
      const again = replay(moved);
      if (exact(real[i]!, again[i]!)) {
        if (!same(real[i]!, sim[i]!))
          edges.set(
            i,
            `on an edge: at the estimated arrival stacksim decided ${label(sim[i]!)}; ${Math.abs(d)} ms ${d > 0 ? 'later' : 'earlier'} (within the ±1 ms the product's clock reading is known to) it decides as the product, and the replay goes on from there (state resynchronised)`,
          );
        at.set(i, moved.get(i)!);
        sim = again;
        break;
      }
    }
  }
  return { sim, edges };
}
