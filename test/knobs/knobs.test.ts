// Every knob does something (issue 17): each field the bundled and generated scenarios use is
// perturbed (number or duration doubled then halved, boolean flipped, every other enum value,
// optional object dropped) in a short run of a scenario where it appears, and the results must
// change — unless test/knobs/inert.ts says why not, or test/knobs/known-defects.ts names the
// issue that will fix it. The counts go to docs/reliability.md (KNOBS_WRITE_DOCS=1 rewrites
// them; otherwise the test fails when they differ).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildChecks, type Check, KnobRunner, type Outcome } from './checks.ts';
import { bundledCorpus, generatedCorpus } from './corpus.ts';
import { INERT } from './inert.ts';
import { KNOWN_DEFECTS } from './known-defects.ts';

const DOC = 'docs/reliability.md';
const BEGIN = '<!-- knobs:begin -->';
const END = '<!-- knobs:end -->';
/** Occurrences tried for a listed check (enough to notice most stale entries, and cheap). */
const LISTED_TRIES = 2;

type Verdict = 'effect' | 'inert' | 'known' | 'alone' | 'FAIL';

function listed(list: Readonly<Record<string, string>>, key: string): string | undefined {
  if (Object.hasOwn(list, key)) return key;
  return Object.keys(list).find((k) => k.endsWith('*') && key.startsWith(k.slice(0, -1)));
}

function verdict(o: Outcome, inert: string | undefined, known: string | undefined): Verdict {
  if (o.crash !== undefined) return 'FAIL';
  if (o.effect !== undefined) return inert === undefined && known === undefined ? 'effect' : 'FAIL';
  if (known !== undefined) return 'known';
  if (inert !== undefined) return 'inert';
  return o.runs === 0 ? 'alone' : 'FAIL';
}

function docBlock(
  corpusSizes: { bundled: number; variants: number; generated: number },
  fields: Map<string, Verdict>,
  checks: Map<string, Verdict>,
): string {
  const count = (m: Map<string, Verdict>, v: Verdict) =>
    [...m.values()].filter((x) => x === v).length;
  const line = (m: Map<string, Verdict>) =>
    `${m.size} checked: ${count(m, 'effect')} with an effect, ${count(m, 'inert')} inert with a reason, ${count(m, 'known')} known defects, ${count(m, 'alone')} not perturbable on their own, ${count(m, 'FAIL')} failing`;
  const known = Object.entries(KNOWN_DEFECTS).map(([k, why]) => `- \`${k}\`: ${why}`);
  return [
    BEGIN,
    `Knob test (\`npx vitest run test/knobs\`), ${corpusSizes.bundled} bundled scenarios, ${corpusSizes.variants} of their variants and ${corpusSizes.generated} generated scenarios, each shortened (test/knobs/corpus.ts):`,
    '',
    `- fields: ${line(fields)};`,
    `- checks (a field, or one value of an enum field, or dropping an optional object): ${line(checks)}.`,
    '',
    '"Not perturbable on their own": every perturbation fails validation (a reference to another component, a `type`, an enum value that needs other fields). Known defects (test/knobs/known-defects.ts):',
    '',
    ...known,
    END,
  ].join('\n');
}

describe('every knob does something', () => {
  it('each field of the corpus changes results, or is listed with a reason', () => {
    const bundled = bundledCorpus();
    const generated = generatedCorpus();
    const corpus = [...bundled, ...generated];
    const checks = buildChecks(corpus);
    const runner = new KnobRunner(corpus);
    const byCheck = new Map<string, Verdict>();
    const byField = new Map<string, Verdict>();
    const failures: string[] = [];
    const usedInert = new Set<string>();
    const usedKnown = new Set<string>();
    // a field with one known-defect value counts as a known defect, even if its other values act
    const rank: Record<Verdict, number> = { FAIL: 4, known: 3, effect: 2, inert: 1, alone: 0 };
    for (const check of checks as Check[]) {
      const inert = listed(INERT, check.key);
      const known = listed(KNOWN_DEFECTS, check.key);
      if (inert !== undefined) usedInert.add(inert);
      if (known !== undefined) usedKnown.add(known);
      const o = runner.run(check, (inert ?? known) ? LISTED_TRIES : Number.POSITIVE_INFINITY);
      const v = verdict(o, inert, known);
      byCheck.set(check.key, v);
      const prev = byField.get(check.field);
      if (prev === undefined || rank[v] > rank[prev]) byField.set(check.field, v);
      if (v !== 'FAIL') continue;
      if (o.crash !== undefined) failures.push(`${check.key}: the run threw: ${o.crash}`);
      else if (o.effect !== undefined)
        failures.push(
          `${check.key}: listed as ${known ? 'a known defect' : 'inert'} but changes results (${o.effect})`,
        );
      else
        failures.push(
          `${check.key}: no effect in ${o.runs} runs and not listed in test/knobs/inert.ts`,
        );
    }
    for (const k of Object.keys(INERT))
      if (!usedInert.has(k)) failures.push(`inert.ts entry ${k} matches no check`);
    for (const k of Object.keys(KNOWN_DEFECTS))
      if (!usedKnown.has(k)) failures.push(`known-defects.ts entry ${k} matches no check`);

    const variants = bundled.filter((e) => e.label.includes('~')).length;
    const block = docBlock(
      { bundled: bundled.length - variants, variants, generated: generated.length },
      byField,
      byCheck,
    );
    console.log(
      [
        block,
        'KNOWN DEFECTS (pending their issues):',
        ...Object.entries(KNOWN_DEFECTS).map(([k, why]) => `  ${k}: ${why}`),
        ...(failures.length > 0 ? ['FAILURES:', ...failures.map((f) => `  ${f}`)] : []),
      ].join('\n'),
    );
    expect(failures).toEqual([]);
    const doc = readFileSync(DOC, 'utf8');
    const from = doc.indexOf(BEGIN);
    const to = doc.indexOf(END);
    expect(from, `${DOC} has no ${BEGIN} … ${END} block`).toBeGreaterThanOrEqual(0);
    const current = doc.slice(from, to + END.length);
    if (process.env.KNOBS_WRITE_DOCS === '1' && current !== block) {
      writeFileSync(DOC, doc.slice(0, from) + block + doc.slice(to + END.length));
    } else {
      expect(
        current,
        `${DOC} is out of date: run KNOBS_WRITE_DOCS=1 npx vitest run test/knobs`,
      ).toBe(block);
    }
  }, 1_800_000);
});
