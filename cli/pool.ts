import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Experiment, Job, JobOutput } from '../experiments/job.ts';
import { runJob } from '../experiments/job.ts';
import type { ComponentKind } from '../models/core/component.ts';
import type { WorkerReply } from './worker.ts';

/** Runs a batch of jobs; outputs in job-index order; `onDone` fires as each job finishes. */
export type Executor = (
  jobs: readonly Job[],
  onDone?: (output: JobOutput) => void,
) => Promise<JobOutput[]>;

/** The bundled worker next to this file (dist/worker.mjs), or ../dist/worker.mjs from sources. */
export function defaultWorkerPath(): string {
  const here = new URL('./worker.mjs', import.meta.url);
  if (here.protocol === 'file:' && existsSync(fileURLToPath(here))) return fileURLToPath(here);
  return fileURLToPath(new URL('../dist/worker.mjs', import.meta.url));
}

/** Default worker count: the machine's available parallelism. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Runs jobs one after another on this thread (used for --workers 1). */
export function inProcessExecutor(kinds?: readonly ComponentKind[]): Executor {
  return async (jobs, onDone) => {
    const out: JobOutput[] = [];
    for (const job of jobs) {
      const o = runJob(job, kinds);
      out.push(o);
      onDone?.(o);
      await new Promise<void>((resolve) => setImmediate(resolve)); // let progress and signals run
    }
    return out;
  };
}

/**
 * A fixed set of worker threads fed from one FIFO queue. Each job is self-contained (scenario,
 * seed), so where it runs cannot change its output; results are ordered by job index.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { job: Job; done: (r: WorkerReply) => void }[] = [];
  private readonly busy = new Map<Worker, (r: WorkerReply) => void>();

  constructor(size: number, options: { workerPath?: string; kindsModule?: string } = {}) {
    const path = options.workerPath ?? defaultWorkerPath();
    if (!existsSync(path))
      throw new Error(`worker bundle not found at ${path}; run "npm run build"`);
    for (let i = 0; i < size; i++) {
      const w = new Worker(path, {
        workerData: options.kindsModule === undefined ? {} : { kindsModule: options.kindsModule },
      });
      w.on('message', (r: WorkerReply) => {
        const done = this.busy.get(w);
        this.busy.delete(w);
        this.idle.push(w);
        done?.(r);
        this.pump();
      });
      w.on('error', (e) => {
        const done = this.busy.get(w);
        this.busy.delete(w);
        done?.({ ok: false, index: -1, error: e.stack ?? e.message });
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.shift()!;
      const next = this.queue.shift()!;
      this.busy.set(w, next.done);
      w.postMessage(next.job);
    }
  }

  /** Runs jobs on the workers; rejects on the first job error. */
  readonly run: Executor = (jobs, onDone) =>
    new Promise((resolve, reject) => {
      const out: JobOutput[] = new Array(jobs.length);
      let left = jobs.length;
      let failed = false;
      if (left === 0) resolve(out);
      jobs.forEach((job, i) => {
        this.queue.push({
          job,
          done: (r) => {
            if (failed) return;
            if (!r.ok) {
              failed = true;
              reject(new Error(`job ${job.index} failed in a worker:\n${r.error}`));
              return;
            }
            out[i] = r.output;
            onDone?.(r.output);
            if (--left === 0) resolve(out);
          },
        });
      });
      this.pump();
    });

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Drives an experiment generator, running each yielded batch with `exec`. */
export async function drive<T>(
  experiment: Experiment<T>,
  exec: Executor,
  onDone?: (output: JobOutput) => void,
): Promise<T> {
  let step = experiment.next();
  while (step.done !== true) step = experiment.next(await exec(step.value, onDone));
  return step.value;
}
