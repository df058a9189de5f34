// npm run validate:theory [-- --full] [--write-docs] [--workers N]
// Runs every case of test/validation/reference.json the models can express through
// scenario files, prints the table (case, theory, simulated, tolerance, pass/fail), lists the
// cases that cannot be expressed with the reason, and exits 1 when a case fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { WorkerPool } from '../cli/pool.ts';
import { runJob } from '../experiments/job.ts';
import type { ReferenceCase } from '../test/helpers/reference.ts';
import type { CaseOutcome } from '../test/validation/theory-cases.ts';
import { runTheory, theoryCounts, theoryTable } from '../test/validation/theory-run.ts';

const args = process.argv.slice(2);
const full = args.includes('--full');
const writeDocs = args.includes('--write-docs');
const wi = args.indexOf('--workers');
const workers = wi >= 0 ? Number(args[wi + 1]) : Math.min(4, availableParallelism());
// Bundled into a temporary file, so paths are taken from the working directory (the repo root).
const REPO_ROOT = process.cwd();
const refPath = join(REPO_ROOT, 'test', 'validation', 'reference.json');
const cases = JSON.parse(readFileSync(refPath, 'utf8')) as ReferenceCase[];
const started = performance.now();
const pool =
  workers > 1
    ? new WorkerPool(workers, { workerPath: join(REPO_ROOT, 'dist/worker.mjs') })
    : undefined;
let outcomes: CaseOutcome[];
try {
  outcomes = await runTheory(cases, full ? 'full' : 'quick', async (jobs) =>
    pool === undefined ? jobs.map((j) => runJob(j)) : pool.run(jobs),
  );
} finally {
  await pool?.close();
}
const seconds = (performance.now() - started) / 1000;
const table = theoryTable(outcomes);
const counts = theoryCounts(outcomes);
const summary = `${cases.length} reference cases: ${counts.passed} passed, ${counts.failed} failed, ${counts.unsupported} not expressible (${full ? 'full' : 'quick'} run, ${seconds.toFixed(0)} s)`;
process.stdout.write(`${table}\n\n${summary}\n`);
if (writeDocs) {
  const command = `npm run validate:theory -- ${full ? '--full ' : ''}--write-docs${wi >= 0 ? ` --workers ${workers}` : ''}`;
  const doc = `# Validation against theory

Every case of \`test/validation/reference.json\` (closed forms from queueing, load-balancing
and cache theory, plus accounting identities) is run through the real scenario path: a scenario
file per system (test/validation/theory-systems.ts) validated by the scenario schema and run
with the experiments library's \`runJob\` (on worker threads). A case passes when
|simulated − theory| ≤ abs + rel·|theory| (the case's \`tolerance_hint\`). The hint is about
three 95% half-widths for a run of \`mc_samples\`; a shorter run scales it by √(mc_samples/n)
(the note column says so). Invariants are computed on drained runs (no warm-up, clients stop
at 90% of the run) where they hold exactly, up to float rounding. Cases the models cannot
express are listed with the reason.

Mapping: M/M/c, M/D/1, M/M/c/K and Erlang B are a Poisson \`client.open\` into an
\`app-server\` with \`workers: c\`, \`backlog: K − c\`, \`overflow: "503"\` and one \`cpu\` step
(exponential or constant); W and percentiles are the app server's latency (time in system), Wq
and its p99 the client's \`queue\` phase, P_wait the app server's \`queued\` counter over
admitted requests, P_block its 503s over arrivals. Random / power-of-d assignment is a
\`load-balancer\` over n single-worker servers (4 for random, 100 for d = 1, 1 000 for d = 2).
LRU, perfect-LFU and TTL caches are an \`http-cache\` in front of a server with a Zipf key mix.
Rate limiters (test/validation/theory-limiter.ts) are a Poisson \`client.open\` into a
\`rate-limiter\` (\`key: "global"\`; \`token-bucket\` is the continuous-refill bucket, which starts
full; \`fixed-window\` counts per aligned window) in front of an app-server sink;
reject_fraction is the limiter's \`rejected / (allowed + rejected)\` counters after a 5 s
warm-up. A fixed-window reference is 400 000 windows (40–80 million requests); full runs stop at
3 million arrivals and scale the tolerance by √(reference/n) like every shorter run. The bound
invariants run an overloaded limiter (λ = 200/s against 100/s) without warm-up and compute the
worst window from the admitted timestamps, observed as the sink's request events (no links, so
the sink sees each admission at the instant of the decision): the most admissions in any
[s, t] minus b + r(t − s) for the bucket (one pass over running minima), the most in one aligned
window minus L for the fixed window; the value reported is max(0, excess). The count of
observed admissions must equal the limiter's \`allowed\` counter and the fixed window's
\`extras.overAdmitted\` must be 0, otherwise the difference is added (the case fails).

Published resilience set-ups (Brooker's retry and collapse simulations, his circuit-breaker
critique, Gardner et al.'s redundancy with cancellation, The Tail at Scale's fan-out, Huang et
al.'s throttled primary, load shedding at 2× overload) are reproduced by bundled scenarios and
checked by test/scenarios/ (analytic ones within a stated tolerance, the qualitative ones as
seed counts); the table with expected and measured values is in
[models/resilience.md](models/resilience.md#published-set-ups-reproduced).

Reproduce: \`${command}\` (last run: ${new Date().toISOString().slice(0, 10)}, ${seconds.toFixed(0)} s wall).
\`npm test\` runs a quick subset (test/validation/theory.test.ts).

**${summary}.**

${table}
`;
  writeFileSync(join(REPO_ROOT, 'docs/validation.md'), doc);
}
process.exitCode = counts.failed > 0 ? 1 : 0;
