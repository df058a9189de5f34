import { describe, expect, test } from 'vitest';
import { runJob } from '../../experiments/job.ts';
import { loadReference } from '../helpers/reference.ts';
import { CI_CASES } from './theory-cases.ts';
import { runTheory, theoryCounts, theoryTable } from './theory-run.ts';

// The CI-sized form of `npm run validate:theory`: a case or more per family, through scenario
// files and runScenario (experiments' runJob), with the tolerance scaled by √(mc_samples/n).

describe('theory validation (quick set)', () => {
  test('every quick case passes and the full list covers every reference case', async () => {
    const reference = loadReference();
    const cases = CI_CASES.map((id) => {
      const c = reference.get(id);
      if (c === undefined) throw new Error(`${id} is not in reference.json`);
      return c;
    });
    const outcomes = await runTheory(cases, 'ci', async (jobs) => jobs.map((j) => runJob(j)), [
      ...reference.values(),
    ]);
    console.log(theoryTable(outcomes));
    expect(theoryCounts(outcomes)).toEqual({ passed: cases.length, failed: 0, unsupported: 0 });
  });
});
