// Worker-thread entry (bundled to dist/worker.mjs): runs experiment jobs posted by cli/pool.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { type Job, runJob } from '../experiments/job.ts';
import type { ComponentKind } from '../models/core/component.ts';

/** A message from a worker: one job's output, or the error that stopped it. */
export type WorkerReply =
  | { readonly ok: true; readonly output: ReturnType<typeof runJob> }
  | { readonly ok: false; readonly index: number; readonly error: string };

const data = (workerData ?? {}) as { kindsModule?: string };
// Component kinds: the registry's, or (tests, benchmarks) those exported as `kinds` by a module.
const kinds: readonly ComponentKind[] | undefined =
  data.kindsModule === undefined ? undefined : (await import(data.kindsModule)).kinds;

parentPort?.on('message', (job: Job) => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, output: runJob(job, kinds) };
  } catch (e) {
    reply = {
      ok: false,
      index: job.index,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    };
  }
  parentPort?.postMessage(reply);
});
