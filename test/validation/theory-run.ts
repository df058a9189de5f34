// Plans and runs reference cases: systems shared by several cases run once (as jobs, so a
// caller may run them on worker threads), invariants run in-process.
import type { Job, JobOutput } from '../../experiments/job.ts';
import type { ReferenceCase } from '../helpers/reference.ts';
import {
  type CaseOutcome,
  type CasePlan,
  judgeSystem,
  planCase,
  referenceLength,
  systemJob,
  type TheoryMode,
} from './theory-cases.ts';

/** Runs a batch of jobs; outputs in job order. */
export type RunJobs = (jobs: readonly Job[]) => Promise<readonly JobOutput[]>;

/** Runs every case (each distinct system once) and returns one outcome per case, in order. */
export async function runTheory(
  cases: readonly ReferenceCase[],
  mode: TheoryMode,
  runJobs: RunJobs,
  all: readonly ReferenceCase[] = cases,
): Promise<CaseOutcome[]> {
  const plans: [ReferenceCase, CasePlan][] = cases.map((c) => [c, planCase(c, mode)]);
  const jobs: Job[] = [];
  const jobOf = new Map<string, number>();
  for (const [, plan] of plans) {
    if (plan.kind !== 'system') continue;
    const key = JSON.stringify(plan.system.scenario);
    if (jobOf.has(key)) continue;
    jobOf.set(key, jobs.length);
    jobs.push(systemJob(plan.system, jobs.length));
  }
  const outputs = await runJobs(jobs);
  return plans.map(([c, plan]): CaseOutcome => {
    if (plan.kind === 'system') {
      const out = outputs[jobOf.get(JSON.stringify(plan.system.scenario))!]!;
      return judgeSystem(c, plan, out, referenceLength(c, all));
    }
    if (plan.kind === 'unsupported')
      return {
        id: c.id,
        expected: c.expected,
        simulated: undefined,
        tolerance: undefined,
        n: undefined,
        pass: undefined,
        note: `not expressible: ${plan.reason}`,
      };
    const v = plan.run();
    return {
      id: c.id,
      expected: c.expected,
      simulated: v.simulated,
      tolerance: v.tolerance,
      n: undefined,
      pass: Math.abs(v.simulated - c.expected) <= v.tolerance,
      note: v.note,
    };
  });
}

const fmt = (v: number | undefined) =>
  v === undefined ? '—' : Math.abs(v) >= 1e-3 || v === 0 ? v.toPrecision(5) : v.toExponential(2);

/** The outcomes as a Markdown table. */
export function theoryTable(outcomes: readonly CaseOutcome[]): string {
  const rows = outcomes.map((o) => {
    const verdict = o.pass === undefined ? 'n/a' : o.pass ? 'pass' : '**FAIL**';
    const n = o.n === undefined ? '' : String(o.n);
    return `| ${o.id} | ${fmt(o.expected)} | ${fmt(o.simulated)} | ±${fmt(o.tolerance)} | ${n} | ${verdict} | ${o.note} |`;
  });
  return [
    '| case | theory | simulated | tolerance | n | result | note |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Counts of passed, failed and not expressible cases. */
export function theoryCounts(outcomes: readonly CaseOutcome[]) {
  return {
    passed: outcomes.filter((o) => o.pass === true).length,
    failed: outcomes.filter((o) => o.pass === false).length,
    unsupported: outcomes.filter((o) => o.pass === undefined).length,
  };
}
