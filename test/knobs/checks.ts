// Builds the knob checks (one per field, one per enum value) from a corpus and runs them: a
// check has an effect when one perturbation, in one scenario where the field appears, changes
// what the run reports.
import { validateScenario } from '../../models/scenario/load.ts';
import { toPointer } from '../../models/scenario/issues.ts';
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

function leafChecks(map: Map<string, Check>, entry: number, raw: unknown, site: Site): void {
  const { path, value, pattern } = site;
  const occ = (candidates: Candidate[]): Occurrence => ({
    entry,
    path,
    original: value,
    candidates,
  });
  if (typeof value === 'boolean') add(map, pattern, pattern, 'boolean', occ([!value]));
  else if (typeof value === 'number') add(map, pattern, pattern, 'number', occ(numericCandidates(value)));
  else if (typeof value === 'string' && isQuantity(value))
    add(map, pattern, pattern, 'duration', occ(numericCandidates(value)));
  else if (typeof value === 'string') {
    const values = enumValues(raw, path);
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
  corpus.forEach((e, entry) => {
    for (const site of sites(e.raw)) {
      if (site.kind === 'object') {
        add(map, site.pattern, site.pattern, 'object', {
          entry,
          path: site.path,
          original: site.value,
          candidates: [DROP],
        });
        stickyCheck(map, entry, e.raw, site);
      } else {
        leafChecks(map, entry, e.raw, site);
        stickyCheck(map, entry, e.raw, site);
      }
    }
  });
  return [...map.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Runs the corpus' baselines once and each check until one perturbation changes results. */
export class KnobRunner {
  private readonly baselines = new Map<number, Observed>();
  constructor(private readonly corpus: readonly CorpusEntry[]) {}

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

  /** Tries occurrences cheapest scenario first (baseline events), at most `maxOccurrences`. */
  run(check: Check, maxOccurrences = Number.POSITIVE_INFINITY): Outcome {
    const order = [...check.occurrences].sort(
      (a, b) => this.baseline(a.entry).events - this.baseline(b.entry).events || a.entry - b.entry,
    );
    let runs = 0;
    let tried = 0;
    for (const o of order) {
      if (tried >= maxOccurrences) break;
      const raw = this.corpus[o.entry]!.raw;
      let ran = false;
      for (const c of o.candidates) {
        const perturbed = c === DROP ? withValue(raw, o.path, undefined, true) : withValue(raw, o.path, c);
        const s = validated(perturbed);
        if (s === undefined) continue;
        ran = true;
        runs++;
        if (observe(s).text !== this.baseline(o.entry).text) {
          const what = c === DROP ? 'dropped' : JSON.stringify(c);
          return {
            check,
            effect: `${this.corpus[o.entry]!.label} ${toPointer(o.path.map(String))} ${what}`,
            runs,
          };
        }
      }
      if (ran) tried++;
    }
    return { check, effect: undefined, runs };
  }
}
