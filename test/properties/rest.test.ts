import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../engine/index.ts';
import type { StoreCall, StoreReply } from '../../models/core/call.ts';
import type { HttpRequest, PageQuery } from '../../models/http/messages.ts';
import { newPhases } from '../../models/http/messages.ts';
import { Collection, etagOf } from '../../models/rest/collection.ts';
import { resourceStoreKind } from '../../models/rest/resource-store.ts';
import { ScenarioRun } from '../../models/scenario/build.ts';
import { validateScenario } from '../../models/scenario/load.ts';
import { testStack } from '../helpers/poisson-source.ts';

const IDEMPOTENCY = JSON.parse(readFileSync('scenarios/idempotency.json', 'utf8')) as Record<
  string,
  any
>;

describe('idempotency keys with a store that stays up', () => {
  let plainDuplicates = 0;

  it('no logical request is applied twice, whatever the loss, timeouts and retries', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          loss: fc.double({ min: 0, max: 0.15, noNaN: true }),
          timeoutMs: fc.integer({ min: 60, max: 600 }),
          cpuMs: fc.integer({ min: 1, max: 300 }),
          retries: fc.integer({ min: 1, max: 4 }),
          concurrent: fc.constantFrom('409', 'wait'),
        }),
        (p) => {
          const raw = structuredClone(IDEMPOTENCY);
          raw.seed = p.seed;
          raw.run = { duration: '2s', warmup: '500ms' };
          raw.timeline = [];
          for (const id of ['shoppersPlain', 'shoppersKeyed']) {
            raw.components[id].timeout = `${p.timeoutMs}ms`;
            raw.components[id].retries.max = p.retries;
            raw.components[id].arrival.rate = '100/s';
          }
          for (const id of ['appPlain', 'appKeyed']) {
            raw.components[id].routes[0].steps[0] = { cpu: `${p.cpuMs}ms` };
            raw.components[id].workers = 200;
          }
          raw.components.appKeyed.routes[0].idempotency.concurrent = p.concurrent;
          for (const link of raw.links) if (link.loss !== undefined) link.loss = p.loss;
          const checked = validateScenario(raw);
          if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
          const c = new ScenarioRun(checked.scenario).finish().components;
          plainDuplicates += c.dbPlain!.counters.duplicateWrites ?? 0;
          expect(c.dbKeyed!.counters.duplicateWrites ?? 0).toBe(0);
          expect(c.appKeyed!.counters.duplicateWrites ?? 0).toBe(0);
        },
      ),
      { numRuns: 12 },
    );
    // Not vacuous: the same runs without keys did apply requests twice.
    expect(plainDuplicates).toBeGreaterThan(0);
  });
});

interface Driver {
  /** Per key: the newest version a write reply has reported. */
  readonly written: Map<number, number>;
  /** Per key: the version of the copy this driver holds (from its last 200 read). */
  readonly held: Map<number, number>;
  /** Reads in flight: tag → [key, version sent in If-None-Match]. */
  readonly reads: Map<number, [number, number]>;
  readonly writes: Set<number>;
  notModified: number;
  stale: number;
  readonly ops: readonly [number, boolean, number][];
}

describe('conditional GETs against a versioned resource', () => {
  it('a 304 is never served for a version older than one already written', () => {
    let notModified = 0;
    let staleReads = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 3 }),
            fc.boolean(),
            fc.integer({ min: 0, max: 3_000 }),
          ),
          {
            minLength: 5,
            maxLength: 300,
          },
        ),
        (seed, ops) => {
          const st = testStack(seed);
          st.add(resourceStoreKind, 'docs', {
            resources: 3,
            latency: { dist: 'exponential', mean: '1ms' },
          });
          const d: Driver = {
            written: new Map(),
            held: new Map(),
            reads: new Map(),
            writes: new Set(),
            notModified: 0,
            stale: 0,
            ops,
          };
          st.sim.spawn<Driver>(
            'driver',
            {
              on: {
                'sim.start': (s, _m, ctx) => {
                  let at = 0;
                  s.ops.forEach((_op, i) => {
                    at += s.ops[i]![2];
                    ctx.after(at, { type: 'op', i } as { type: string });
                  });
                },
                op: (s, m: { type: string; i: number }, ctx: Context) => {
                  const [key, isWrite] = s.ops[m.i]!;
                  const version = s.held.get(key) ?? 1;
                  const req: HttpRequest = {
                    id: m.i + 1,
                    origin: m.i + 1,
                    attempt: 0,
                    client: 'driver',
                    clientIp: 0,
                    method: isWrite ? 'PUT' : 'GET',
                    route: '/doc/{key}',
                    className: 'x',
                    key,
                    user: 0,
                    tier: 'default',
                    idempotent: true,
                    headers: isWrite ? {} : { ifNoneMatch: etagOf(key, version) },
                    size: 0,
                    intendedAt: ctx.now,
                    phases: newPhases(),
                    spans: undefined,
                  };
                  if (isWrite) s.writes.add(m.i + 1);
                  else s.reads.set(m.i + 1, [key, version]);
                  const call: StoreCall = {
                    type: 'store.call',
                    op: 'query',
                    key,
                    queryClass: isWrite ? 'write' : 'read',
                    req,
                    replyTo: ctx.self,
                    tag: m.i + 1,
                  };
                  ctx.send(ctx.lookup('docs'), call);
                },
                'store.reply': (s, r: StoreReply) => {
                  const read = s.reads.get(r.tag);
                  if (read === undefined) {
                    const key = s.ops[r.tag - 1]![0];
                    s.written.set(key, Math.max(s.written.get(key) ?? 1, r.value));
                    return;
                  }
                  s.reads.delete(r.tag);
                  const [key, version] = read;
                  if (r.status === 304) {
                    s.notModified++;
                    if ((s.written.get(key) ?? 1) > version) s.stale++;
                  } else s.held.set(key, r.value);
                },
              },
            },
            d,
          );
          st.sim.run({});
          expect(d.stale).toBe(0);
          expect(d.reads.size).toBe(0);
          notModified += d.notModified;
          staleReads += d.held.size;
        },
      ),
      { numRuns: 200 },
    );
    // Not vacuous: many 304s were served, and many reads found a newer version (a 200).
    expect(notModified).toBeGreaterThan(100);
    expect(staleReads).toBeGreaterThan(100);
  });
});

describe('cursor walks', () => {
  it('never return an item twice, nor skip one that existed throughout, under inserts and deletes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 0.999, noNaN: true })),
          {
            maxLength: 200,
          },
        ),
        (initial, size, churn) => {
          const c = new Collection(1, initial, 10_000, 4);
          const seen = new Set<number>();
          const present = new Set<number>();
          for (let id = 1; id <= initial; id++) present.add(id);
          const removed = new Set<number>();
          let cursor = 0;
          let i = 0;
          for (let pageNo = 0; ; pageNo++) {
            const q: PageQuery = { walk: 1, page: pageNo, mode: 'cursor', size, offset: 0, cursor };
            const d = c.list(q);
            const news = c.track(q, d.ids!, d.last!);
            expect(news.duplicated).toBe(0);
            for (const id of d.ids!) {
              expect(seen.has(id)).toBe(false);
              seen.add(id);
            }
            if (d.last) {
              expect(news.skipped).toBe(0);
              break;
            }
            cursor = d.ids![d.ids!.length - 1]!;
            // Writers between pages: inserts at the head and deletes anywhere.
            const [inserts, u] = churn[i++ % Math.max(1, churn.length)] ?? [0, 0];
            for (let k = 0; k < inserts; k++) c.insert();
            if (churn.length > 0 && c.size > 0) {
              const gone = c.removeAny({ next: () => u } as never);
              removed.add(gone.value);
            }
          }
          // Every item that was there from start to end was returned.
          for (const id of present) if (!removed.has(id)) expect(seen.has(id)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
