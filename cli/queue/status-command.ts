// `stacksim status ID`: a queued study's progress, its queue and the workers Redis has seen.
import { parseArgs, UsageError } from '../args.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import {
  DEFAULT_QUEUE_URL,
  keys,
  parseQueueUrl,
  queueLibs,
  type WorkerBeat,
} from './connection.ts';
import { liveWorkers } from './study.ts';

/** Usage text of `stacksim status`. */
export const STATUS_USAGE = `Usage: stacksim status ID [--queue redis://HOST:PORT] [--json]

Shows a queued study (the id printed by --detach or on submit): jobs done of submitted,
failures, the BullMQ queue's counts, and the live workers: those of the study's build, and
those of another build, which refuse its jobs. See docs/distributed.md.
`;

/** What `status` reports (also its --json). */
export interface StudyStatus {
  readonly study: string;
  readonly state: string;
  readonly command: string;
  readonly identity: string;
  readonly jobs: number;
  readonly done: number;
  readonly errors: readonly string[];
  readonly queue: Readonly<Record<string, number>>;
  readonly workers: readonly WorkerBeat[];
  readonly refused: readonly WorkerBeat[];
}

/** Connects to the URL given (or the default) and returns a Redis client. */
export async function openRedis(url: string | undefined) {
  const u = url ?? process.env.STACKSIM_QUEUE ?? DEFAULT_QUEUE_URL;
  const options = parseQueueUrl(u);
  if (options === undefined) throw new UsageError(`--queue expects redis://HOST:PORT, got "${u}"`);
  const { Redis } = (await queueLibs()).ioredis;
  // a one-off command: give up after a few tries instead of reconnecting forever
  const redis = new Redis({
    ...options,
    maxRetriesPerRequest: 2,
    retryStrategy: (n: number) => (n > 3 ? null : 200),
  });
  redis.on('error', () => {}); // reported by the command that failed
  try {
    await redis.ping();
  } catch {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${u}`);
  }
  return { redis, url: u, options };
}

/** Runs a command body that talks to Redis; a connection failure is one line, exit 1. */
export async function withRedis(
  name: string,
  ctx: CliContext,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    ctx.err(`stacksim ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.runFailure;
  }
}

/** `stacksim status` (exit 0, or 2 for an unknown study). */
export function statusCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  return withRedis('status', ctx, () => status(args, ctx));
}

async function status(args: readonly string[], ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { queue: { kind: 'string' }, json: { kind: 'boolean' } });
  const id = a.positionals[0];
  if (id === undefined || a.positionals.length > 1) throw new UsageError('expected one study id');
  const { redis, options } = await openRedis(a.values.get('queue'));
  try {
    const study = await redis.hgetall(keys.study(id));
    if (study.spec === undefined) {
      ctx.err(
        `stacksim status: no study ${id} in Redis (collected more than a day ago, or never submitted)\n`,
      );
      return EXIT.badInput;
    }
    const { Queue } = (await queueLibs()).bullmq;
    const queue = new Queue(study.queue!, { connection: options });
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
    await queue.close();
    const live = await liveWorkers(redis);
    const errors = Object.entries(await redis.hgetall(keys.errors(id))).map(
      ([k, v]) => `${k}: ${v}`,
    );
    const status: StudyStatus = {
      study: id,
      state: study.state ?? (errors.length > 0 ? 'failed' : 'running'),
      command: (JSON.parse(study.spec) as { command: string }).command,
      identity: study.identity ?? '',
      jobs: await redis.hlen(keys.jobs(id)),
      done: await redis.hlen(keys.digests(id)),
      errors,
      queue: counts,
      workers: live.filter((w) => w.identity === study.identity),
      refused: live.filter((w) => w.identity !== study.identity),
    };
    if (a.flags.has('json')) {
      ctx.out(`${JSON.stringify(status, null, 2)}\n`);
      return EXIT.ok;
    }
    ctx.out(`study ${id} (${status.command}, build ${status.identity}): ${status.state}\n`);
    if (status.state !== 'collected') {
      ctx.out(
        `jobs: ${status.done}/${status.jobs} done · queue waiting ${counts.waiting}, active ${counts.active}, delayed ${counts.delayed}, failed ${counts.failed}\n`,
      );
    }
    ctx.out(`workers: ${status.workers.length} live on this build`);
    ctx.out(
      status.workers
        .map((w) => `\n  ${w.id} (${w.concurrency} at once, ${w.done} jobs done)`)
        .join(''),
    );
    ctx.out('\n');
    for (const w of status.refused)
      ctx.out(
        `refused: worker ${w.id} is build ${w.identity}, this study needs ${status.identity}; it takes none of its jobs\n`,
      );
    for (const e of errors) ctx.out(`error: ${e}\n`);
    return EXIT.ok;
  } finally {
    redis.disconnect();
  }
}
