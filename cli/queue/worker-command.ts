// `stacksim worker --queue URL`: takes jobs of this build's queue and runs each in a sandboxed
// child process (dist/queue-processor.mjs) until SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import {
  BUILD_IDENTITY,
  DEFAULT_QUEUE_URL,
  keys,
  parseQueueUrl,
  queueLibs,
  queueName,
} from './connection.ts';

/** Usage text of `stacksim worker`. */
export const WORKER_USAGE = `Usage: stacksim worker [--queue redis://HOST:PORT] [options]

Runs queued sweep and compare jobs (stacksim sweep|compare FILE --queue …) until Ctrl-C
(finishes the jobs in hand) or SIGTERM. Takes only jobs of its own build (version + lockfile
hash); each job runs in a child process. See docs/distributed.md.
  --queue URL        Redis (default: $STACKSIM_QUEUE or ${DEFAULT_QUEUE_URL})
  --concurrency N    jobs at once, one child process each (default: number of cores)
  --lock-ms N        BullMQ lock duration and stall check period (default 30000)
`;

/** The sandboxed processor next to this bundle (dist/queue-processor.mjs). */
export function processorPath(): string {
  const here = new URL('./queue-processor.mjs', import.meta.url);
  if (here.protocol === 'file:' && existsSync(fileURLToPath(here))) return fileURLToPath(here);
  return fileURLToPath(new URL('../../dist/queue-processor.mjs', import.meta.url));
}

function positiveInt(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} expects a positive integer`);
  return n;
}

/** `stacksim worker` (exit 0 when stopped by a signal, 2 on bad usage). */
export async function workerCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const a = parseArgs(args, {
    queue: { kind: 'string' },
    concurrency: { kind: 'string' },
    'lock-ms': { kind: 'string' },
  });
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument ${a.positionals[0]}`);
  const url = a.values.get('queue') ?? process.env.STACKSIM_QUEUE ?? DEFAULT_QUEUE_URL;
  const redis = parseQueueUrl(url);
  if (redis === undefined) throw new UsageError(`--queue expects redis://HOST:PORT, got "${url}"`);
  const concurrency = positiveInt(
    a.values.get('concurrency'),
    'concurrency',
    availableParallelism(),
  );
  const lockMs = positiveInt(a.values.get('lock-ms'), 'lock-ms', 30_000);
  const path = processorPath();
  if (!existsSync(path)) {
    ctx.err(`stacksim worker: ${path} not found; run "npm run build"\n`);
    return EXIT.runFailure;
  }
  const { bullmq, ioredis } = await queueLibs();
  const { Worker } = bullmq;
  const { Redis } = ioredis;
  const beat = new Redis(redis);
  beat.on('error', () => {}); // reconnects by itself; BullMQ's own error events are reported below
  const id = `${hostname()}-${process.pid}`;
  let done = 0;
  const worker = new Worker(queueName(BUILD_IDENTITY), path, {
    connection: redis,
    concurrency,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: 10,
    useWorkerThreads: false,
    workerForkOptions: { env: { ...process.env, STACKSIM_QUEUE_URL: url } },
  });
  let lastError = 0;
  worker.on('error', (e) => {
    const t = Date.now();
    if (t - lastError > 5000) ctx.err(`stacksim worker: ${e.message} (retrying)\n`);
    lastError = t;
  });
  worker.on('failed', (job, e) =>
    ctx.err(`stacksim worker: job ${job?.id ?? '?'} failed: ${e.message}\n`),
  );
  worker.on('completed', () => {
    done++;
  });
  const heartbeat = async () => {
    const b = {
      id,
      host: hostname(),
      pid: process.pid,
      identity: BUILD_IDENTITY,
      concurrency,
      seen: Date.now(),
      done,
    };
    await beat.hset(keys.workers, id, JSON.stringify(b)).catch(() => {});
  };
  await heartbeat();
  ctx.err(
    `stacksim worker ${id}: build ${BUILD_IDENTITY}, queue ${queueName(BUILD_IDENTITY)} on ${url}, ${concurrency} at once\n`,
  );
  while (ctx.signal.received === undefined) {
    await new Promise((r) => setTimeout(r, 1000));
    await heartbeat();
  }
  // Ctrl-C: finish the jobs in hand; SIGTERM: stop now (their locks lapse and they re-run elsewhere)
  await worker.close(ctx.signal.received === 'SIGTERM');
  await beat.hdel(keys.workers, id).catch(() => {});
  beat.disconnect();
  ctx.err(`stacksim worker ${id}: stopped after ${done} jobs\n`);
  return EXIT.ok;
}
