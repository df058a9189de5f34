// Builds the knob checks (one per field, one per enum value) from a corpus and runs them: a
// check has an effect when one perturbation, in one scenario where the field appears, changes
// what the run reports.

import { toPointer } from '../../models/scenario/issues.ts';
import { validateScenario } from '../../models/scenario/load.ts';
import { type CorpusEntry, type Observed, observe, validated } from './corpus.ts';
import {
  enumFromMessage,
  isQuantity,
  numericCandidates,
  type Seg,
  type Site,
  sites,
  valueAt,
  withValue,
} from './walk.ts';

/** Marker for "delete this key". */
export const DROP = Symbol('drop');
type Candidate = unknown;

/** One place a check can be tried: a corpus entry, a path and the values to put there. */
interface Occurrence {
  readonly entry: number;
  readonly path: readonly Seg[];
  readonly original: unknown;
  readonly candidates: readonly Candidate[];
}

/** A field (`pattern`) or one value of an enum field (`pattern=value`) and where it occurs. */
export interface Check {
  readonly key: string;
  /** The field this check belongs to. */
  readonly field: string;
  /** 'number', 'duration' (any quantity with a unit), 'boolean', 'enum', 'text', 'object'. */
  readonly type: string;
  readonly occurrences: Occurrence[];
}

/** How a check ended. */
export interface Outcome {
  readonly check: Check;
  /** Where results changed (corpus label, JSON pointer, new value), or undefined. */
  readonly effect: string | undefined;
  /** Perturbed scenarios that validated and ran. */
  readonly runs: number;
  /** A perturbed scenario that validated but whose run threw (always a defect). */
  readonly crash?: string;
}

const SENTINEL = '\u0001knob-probe';

/** The values an enum leaf may take, read from the validator's message for a bad value. */
function enumValues(raw: unknown, path: readonly Seg[]): string[] | undefined {
  const r = validateScenario(withValue(raw, path, SENTINEL));
  if (r.ok) return undefined;
  const pointer = toPointer(path.map(String));
  for (const issue of r.issues) {
    if (issue.pointer !== pointer && !issue.pointer.startsWith(`${pointer}/`)) continue;
    const values = enumFromMessage(issue.message);
    if (values !== undefined) return values;
  }
  return undefined;
}

function add(map: Map<string, Check>, key: string, field: string, type: string, o: Occurrence) {
  let c = map.get(key);
  if (c === undefined) {
    c = { key, field, type, occurrences: [] };
    map.set(key, c);
  }
  c.occurrences.push(o);
}

/** Enum values by field: the same field takes the same values everywhere. */
type EnumCache = Map<string, string[] | undefined>;

function leafChecks(
  map: Map<string, Check>,
  enums: EnumCache,
  entry: number,
  raw: unknown,
  site: Site,
): void {
  const { path, value, pattern } = site;
  const occ = (candidates: Candidate[]): Occurrence => ({
    entry,
    path,
    original: value,
    candidates,
  });
  if (typeof value === 'boolean') add(map, pattern, pattern, 'boolean', occ([!value]));
  else if (typeof value === 'number')
    add(map, pattern, pattern, 'number', occ(numericCandidates(value)));
  else if (typeof value === 'string') {
    if (!enums.has(pattern)) enums.set(pattern, enumValues(raw, path));
    const values = enums.get(pattern);
    if (values === undefined && isQuantity(value)) {
      add(map, pattern, pattern, 'duration', occ(numericCandidates(value)));
      return;
    }
    if (values === undefined) {
      // free text (a route, a name, a reference): a changed string
      add(map, pattern, pattern, 'text', occ([`${value}x`]));
      return;
    }
    for (const v of values) {
      if (v === value) continue;
      add(map, `${pattern}=${v}`, pattern, 'enum', occ([v]));
    }
  }
}

/**
 * The sticky wrapper is an algorithm too (`{name: 'sticky', fallback}`): wrapping the
 * balancer's algorithm in it must change something.
 */
function stickyCheck(map: Map<string, Check>, entry: number, raw: unknown, site: Site): void {
  const { path } = site;
  if (path.length !== 3 || path[0] !== 'components' || path[2] !== 'algorithm') return;
  const component = valueAt(raw, path.slice(0, 2)) as { type?: unknown };
  if (component.type !== 'load-balancer') return;
  const value = valueAt(raw, path);
  if (typeof value === 'object' && (value as { name?: unknown }).name === 'sticky') return;
  add(map, 'load-balancer:algorithm=sticky', 'load-balancer:algorithm', 'enum', {
    entry,
    path,
    original: value,
    candidates: [{ name: 'sticky', fallback: value }],
  });
}

/** Every check over the corpus, sorted by key; occurrences in corpus order. */
export function buildChecks(corpus: readonly CorpusEntry[]): Check[] {
  const map = new Map<string, Check>();
  const enums: EnumCache = new Map();
  corpus.forEach((e, entry) => {
    const focused = (path: readonly Seg[]) =>
      e.focus === undefined ||
      e.focus.some((f) => f.length <= path.length && f.every((seg, i) => seg === String(path[i])));
    for (const site of sites(e.raw)) {
      if (!focused(site.path)) continue;
      if (site.kind === 'object') {
        add(map, site.pattern, site.pattern, 'object', {
          entry,
          path: site.path,
          original: site.value,
          candidates: [DROP],
        });
        stickyCheck(map, entry, e.raw, site);
      } else {
        leafChecks(map, enums, entry, e.raw, site);
        stickyCheck(map, entry, e.raw, site);
      }
    }
  });
  return [...map.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Runs the corpus' baselines once and each check until one perturbation changes results. */
export class KnobRunner {
  private readonly baselines = new Map<number, Observed>();
  private readonly corpus: readonly CorpusEntry[];
  constructor(corpus: readonly CorpusEntry[]) {
    this.corpus = corpus;
  }

  private baseline(entry: number): Observed {
    let b = this.baselines.get(entry);
    if (b === undefined) {
      const s = validated(this.corpus[entry]!.raw);
      if (s === undefined) throw new Error(`${this.corpus[entry]!.label} does not validate`);
      b = observe(s);
      this.baselines.set(entry, b);
    }
    return b;
  }

  /**
   * Tries one occurrence per scenario first (cheapest scenario first, by baseline events), then
   * the others in the same order; stops at the first change or after `maxOccurrences` that ran.
   */
  run(check: Check, maxOccurrences = Number.POSITIVE_INFINITY): Outcome {
    const nth = new Map<number, number>();
    const keyed = check.occurrences.map((o) => {
      const n = nth.get(o.entry) ?? 0;
      nth.set(o.entry, n + 1);
      return { o, n, events: this.baseline(o.entry).events };
    });
    keyed.sort((a, b) => a.n - b.n || a.events - b.events || a.o.entry - b.o.entry);
    const order = keyed.map((k) => k.o);
    let runs = 0;
    let tried = 0;
    for (const o of order) {
      if (tried >= maxOccurrences) break;
      const raw = this.corpus[o.entry]!.raw;
      let ran = false;
      for (const c of o.candidates) {
        const perturbed =
          c === DROP ? withValue(raw, o.path, undefined, true) : withValue(raw, o.path, c);
        const s = validated(perturbed);
        if (s === undefined) continue;
        ran = true;
        runs++;
        const what = c === DROP ? 'dropped' : JSON.stringify(c);
        const where = `${this.corpus[o.entry]!.label} ${toPointer(o.path.map(String))} ${what}`;
        let text: string;
        try {
          text = observe(s).text;
        } catch (e) {
          return { check, effect: undefined, runs, crash: `${where}: ${(e as Error).message}` };
        }
        if (text !== this.baseline(o.entry).text) {
          return { check, effect: where, runs };
        }
      }
      if (ran) tried++;
    }
    return { check, effect: undefined, runs };
  }
}
