// The "Speed" figures of docs/distributed.md, written by a run of the distributed bench group
// (`node --expose-gc dist/bench.mjs --only distributed`) between two marker lines, with the
// on-paper projection for 10 and 100 machines recomputed from the measured per-job overhead.
import type { Figure } from './measure.ts';
import type { BenchReport } from './report.ts';

export const SPEED_BEGIN = '<!-- bench:distributed begin (written by bench/distributed-doc.ts) -->';
export const SPEED_END = '<!-- bench:distributed end -->';

/** Figure names of the distributed group (bench/distributed.ts). */
export const DIST = {
  one: 'distributed: 65 jobs, 1 worker process',
  two: 'distributed: 65 jobs, 2 worker processes',
  speedup: 'distributed: speed-up 2 workers vs 1',
  ceiling: 'distributed: ceiling, 2 independent processes vs 1',
  ratio: 'distributed: speed-up / ceiling',
  overhead: 'distributed: queue overhead per near-empty job (1 worker)',
  load: 'distributed: load average (1 min) at each round',
  seconds: 'distributed: group wall time',
} as const;

/** Jobs per second one Redis core serves (docs/distributed.md, "On paper"). */
const REDIS_JOBS_PER_S = 5000;

const n2 = (x: number) => x.toFixed(2);
const range = (f: Figure, show: (x: number) => string) =>
  `${show(f.median)} (${show(f.min)}–${show(f.max)})`;

/** One row per scale: W workers of jobs of c seconds with overhead o seconds. */
function projection(o: number): string {
  const rows: string[] = [];
  for (const c of [1, 0.1]) {
    for (const machines of [10, 100]) {
      const w = machines * 8;
      const jobsPerS = w / (c + o);
      const redis = jobsPerS / REDIS_JOBS_PER_S;
      const limit =
        redis >= 1
          ? 'Redis (one core) and the coordinator saturate: use a larger --chunk'
          : `${Math.round(redis * 100)} % of one Redis core`;
      rows.push(
        `| ${machines} | ${w} | ${c} s | ${Math.round(jobsPerS).toLocaleString('en')} | ${Math.round((w * c) / (c + o)).toLocaleString('en')}× | ${limit} |`,
      );
    }
  }
  return rows.join('\n');
}

/** The section between the markers; '' when the run has no distributed figures. */
export function distributedSpeedSection(report: BenchReport): string {
  const f = report.figures;
  const one = f[DIST.one];
  const two = f[DIST.two];
  const speedup = f[DIST.speedup];
  const ceiling = f[DIST.ceiling];
  const ratio = f[DIST.ratio];
  const overhead = f[DIST.overhead];
  if ([one, two, speedup, ceiling, ratio, overhead].some((x) => x === undefined)) return '';
  const load = f[DIST.load];
  const seconds = f[DIST.seconds];
  const o = overhead!.median / 1000;
  const met = speedup!.median >= 1.8;
  return `Measured by \`npm run build && node --expose-gc dist/bench.mjs --only distributed\` on
${report.cpu.count} × ${report.cpu.model}, Node ${report.node}, ${report.date}${report.quick ? ' (**--quick**: one round)' : ''}; ${speedup!.runs} round${speedup!.runs === 1 ? '' : 's'}
of 1 worker process, 2 worker processes and the machine's ceiling, in turn.${seconds === undefined ? '' : ` The group took ${Math.round(seconds.median / 60)} min.`}
${load === undefined ? '' : `Load average (1 min) at the start of each round: ${range(load, (x) => x.toFixed(1))} on ${report.cpu.count} CPUs${load.max > report.cpu.count / 2 ? ': other processes were running, so every figure below is noisier than on an idle machine' : ''}.`}

| figure | median (min–max) |
| --- | --- |
| 65 jobs of lb-compare (60 s simulated each, about 0.5 s CPU), 1 worker process | ${range(one!, (x) => `${(x / 1000).toFixed(1)} s`)} |
| the same, 2 worker processes | ${range(two!, (x) => `${(x / 1000).toFixed(1)} s`)} |
| speed-up 2 workers vs 1 | **${n2(speedup!.median)}** (${n2(speedup!.min)}–${n2(speedup!.max)}) |
| the machine's ceiling (2 independent processes vs 1, as bench/experiments.ts measures it) | ${range(ceiling!, n2)} |
| speed-up / ceiling | ${range(ratio!, n2)} |
| queue overhead per near-empty job (submit → result collected, 1 worker) | **${range(overhead!, (x) => `${x.toFixed(1)} ms`)}** |

Issue 22's target, 2 worker processes ≥ 1.8× one: **${met ? 'met' : 'not met'}** in this run
(median ${n2(speedup!.median)}×, against a ceiling of ${n2(ceiling!.median)}×).

On paper, from the measured overhead *o* = ${overhead!.median.toFixed(1)} ms per job (model below: a worker is
busy *c + o* per job of *c* CPU seconds; machines of 8 cores):

| machines | W | job size *c* | jobs/s | speed-up vs 1 core | what limits it |
| --- | --- | --- | --- | --- | --- |
${projection(o)}`;
}

/** `doc` with the text between the markers replaced by `section`; throws without markers. */
export function replaceSpeedSection(doc: string, section: string): string {
  const a = doc.indexOf(SPEED_BEGIN);
  const b = doc.indexOf(SPEED_END);
  if (a < 0 || b < a)
    throw new Error(`docs/distributed.md lacks the lines ${SPEED_BEGIN} … ${SPEED_END}`);
  return `${doc.slice(0, a + SPEED_BEGIN.length)}\n${section}\n${doc.slice(b)}`;
}
