// The sandboxed processor (bundled to dist/queue-processor.mjs): BullMQ forks it as a child
// process of `stacksim worker`, so a long simulation never blocks the worker's lock renewal.
import { type SandboxedJob, UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { runJob } from '../../experiments/job.ts';
import { COMPONENT_KINDS } from '../../models/registry.ts';
import type { Scenario } from '../../models/scenario/format.ts';
import { decode, encode, pack, sha256 } from './codec.ts';
import { BUILD_IDENTITY, type ChunkData, keys, parseQueueUrl } from './connection.ts';

// Stores a chunk's result once: the first digest wins; a different digest later is recorded as
// a determinism failure. KEYS: digests, results, errors; ARGV: job key, digest, packed outputs.
const STORE = `
local d = redis.call('HGET', KEYS[1], ARGV[1])
if d then
  if d == ARGV[2] then return 0 end
  redis.call('HSET', KEYS[3], ARGV[1], 'determinism failure: a re-run gave digest ' .. ARGV[2] .. ', the stored one is ' .. d)
  return -1
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

let redis: Redis | undefined;
const cache = new Map<string, Scenario>();

function connection(): Redis {
  if (redis !== undefined) return redis;
  const options = parseQueueUrl(process.env.STACKSIM_QUEUE_URL ?? '');
  if (options === undefined) throw new Error('STACKSIM_QUEUE_URL is not a redis:// URL');
  redis = new Redis(options);
  return redis;
}

async function scenarioOf(hash: string): Promise<Scenario> {
  const hit = cache.get(hash);
  if (hit !== undefined) return hit;
  const text = await connection().get(keys.scenario(hash));
  // a missing body is an infrastructure fault (e.g. Redis lost data): retried with backoff
  if (text === null) throw new Error(`scenario ${hash} is not in Redis`);
  if (sha256(text) !== hash) throw new UnrecoverableError(`scenario ${hash}: body does not match`);
  const scenario = decode<Scenario>(text);
  if (cache.size >= 32) cache.clear();
  cache.set(hash, scenario);
  return scenario;
}

/** Runs one chunk of replications and stores its outputs once; returns their digest. */
export default async function processChunk(job: SandboxedJob<ChunkData>): Promise<string> {
  const d = job.data;
  if (d.identity !== BUILD_IDENTITY)
    throw new UnrecoverableError(
      `refused: job of build ${d.identity}, worker is ${BUILD_IDENTITY}`,
    );
  const scenario = await scenarioOf(d.scenario);
  let text: string;
  try {
    const outputs = d.seeds.map((seed) =>
      runJob({ index: 0, scenario, seed, ...(d.series ? { series: true } : {}) }, COMPONENT_KINDS),
    );
    text = encode(outputs);
  } catch (e) {
    // a model error is deterministic: record it for the coordinator and never retry
    const message = e instanceof Error ? e.message : String(e);
    await connection().hset(keys.errors(d.study), d.key, `model error: ${message}`);
    throw new UnrecoverableError(message);
  }
  const digest = sha256(text);
  const stored = (await connection().eval(
    STORE,
    3,
    keys.digests(d.study),
    keys.results(d.study),
    keys.errors(d.study),
    d.key,
    digest,
    pack(text),
  )) as number;
  if (stored < 0) throw new UnrecoverableError(`determinism failure on ${d.key}`);
  return digest;
}
