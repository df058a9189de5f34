import { z } from 'zod';
import { type Distribution, lognormal } from '../../engine/index.ts';
import { buildDurationDist, durationDist } from '../core/dist-spec.ts';
import { nonNegativeInt, positiveInt, probability } from '../core/units.ts';

/** Cost of one query class: CPU time on the server and pages it touches. */
export const queryClassSchema = z.strictObject({
  cpu: durationDist().describe('server CPU per query (excluding page reads)'),
  pages: nonNegativeInt(1_000_000)
    .default(4)
    .describe('pages touched; each misses the buffer cache with 1 − bufferHitRatio'),
  write: z.boolean().default(false).describe('a write: replicated, refused on replicas'),
  perOffsetRow: z
    .number()
    .min(0)
    .default(0)
    .describe('µs of CPU per skipped row (OFFSET = call key)'),
});
/** A parsed query class. */
export type QueryClassSpec = z.output<typeof queryClassSchema>;

/** The database config (PostgreSQL-like). */
export const databaseSchema = z.strictObject({
  maxConnections: positiveInt().default(100).describe('max_connections: no queue, refusal beyond'),
  cores: positiveInt().optional().describe('CPU cores shared by running queries'),
  contention: z.boolean().default(true).describe('processor sharing over cores when cores is set'),
  bufferHitRatio: probability().default(0.99).describe('shared_buffers hit ratio'),
  pageRead: durationDist().default(100).describe('one page read on a buffer miss (SSD ≈ 0.1 ms)'),
  queryClasses: z
    .record(z.string(), queryClassSchema)
    .default({})
    .describe('merged over the defaults'),
  primary: z.string().optional().describe('makes this database a read replica of that primary'),
  lag: durationDist().default({ dist: 'exponential', mean: 10_000 }).describe('replication lag'),
});
/** A parsed database config. */
export type DatabaseConfig = z.output<typeof databaseSchema>;

/** A compiled query class. */
export interface QueryClass {
  readonly cpu: Distribution;
  readonly pages: number;
  readonly write: boolean;
  readonly perOffsetRow: number;
}

const cls = (mean: number, pages: number, write = false, perOffsetRow = 0): QueryClass => ({
  cpu: lognormal({ mean, cv: 0.3 }),
  pages,
  write,
  perOffsetRow,
});

/**
 * Default classes, from PostgreSQL 15 measurements (docs/models/servers.md): primary-key lookup
 * 0.17 ms, index range 1 ms, sequential scan 287 ms (2 M rows), write 0.5 ms, OFFSET paging
 * 0.07 ms + 0.3 µs per skipped row, keyset (cursor) paging 0.12 ms at any depth.
 */
export function defaultQueryClasses(): Map<string, QueryClass> {
  return new Map([
    ['point', cls(170, 4)],
    ['range', cls(1_000, 10)],
    ['scan', cls(287_000, 0)],
    ['write', cls(500, 4, true)],
    ['page-offset', cls(70, 3, false, 0.3)],
    ['page-cursor', cls(120, 4)],
  ]);
}

/** Compiles the configured classes over the defaults. */
export function compileQueryClasses(config: DatabaseConfig): Map<string, QueryClass> {
  const classes = defaultQueryClasses();
  for (const [name, spec] of Object.entries(config.queryClasses)) {
    classes.set(name, {
      cpu: buildDurationDist(spec.cpu),
      pages: spec.pages,
      write: spec.write,
      perOffsetRow: spec.perOffsetRow,
    });
  }
  return classes;
}
