// The defects issue 24 lists, each as a test that fails on the code before it (the kinds,
// fields and counters below did not exist: the scenarios did not load, or counted nothing).
import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../wiring/scenario-run.ts';

/** The unkeyed half of scenarios/idempotency.json: only fields that existed before issue 24. */
function plainOnly(raw: Record<string, any>): void {
  for (const id of ['shoppersKeyed', 'appKeyed', 'keys', 'dbKeyed']) delete raw.components[id];
  raw.links = raw.links.filter((l: { between: string[] }) => !l.between[0]!.endsWith('Keyed'));
  raw.links = raw.links.filter((l: { between: string[] }) => !l.between.includes('keys'));
  raw.timeline = [];
  delete raw.report;
}

describe('issue 24 defects', () => {
  it('forced retries of a payment POST without keys: the duplicate charges are counted, per route', () => {
    const c = runScenarioFile('idempotency', plainOnly).components;
    const dup = c.dbPlain!.counters.duplicateWrites ?? 0;
    expect(dup).toBeGreaterThan(10);
    // The app server shows the same duplicates under the write route's name.
    expect(c.appPlain!.counters['duplicateWrites[POST /pay]']).toBe(dup);
    expect(c.appPlain!.counters.duplicateWrites).toBe(dup);
    // More database writes than payments completed once each: writes = payments + duplicates.
    expect(c.dbPlain!.completions).toBeGreaterThan(dup);
  });

  it('an Idempotency-Key makes the retry of a charged payment a replay, not a second write', () => {
    const c = runScenarioFile('idempotency').components;
    expect(c.dbKeyed!.counters.duplicateWrites ?? 0).toBe(0);
    expect(c.appKeyed!.counters.idempotentReplays).toBeGreaterThan(10);
    expect(c.keys!.counters.replays).toBe(c.appKeyed!.counters.idempotentReplays);
    // The key store's outage is visible: keyed payments were refused with 503 meanwhile.
    expect(c.appKeyed!.byStatus['503']).toBeGreaterThan(0);
    expect(c.appKeyed!.counters['idempotency-store-down']).toBe(c.appKeyed!.byStatus['503']);
  });

  it('a write changes the ETag: revalidations after writes get 200 with the new version, not 304', () => {
    const out = runScenarioFile('conditional-requests').components;
    const safe = out.safe!.counters;
    const notModified = out.docsSafe!.counters.notModified ?? 0;
    expect(safe.revalidations).toBeGreaterThan(50);
    // Most conditional GETs found a newer version (others wrote since): a 200, not a 304.
    expect(notModified).toBeGreaterThan(0);
    expect(notModified).toBeLessThan(safe.revalidations! / 2);
    // Read-modify-write without If-Match loses updates; with it they become 412s.
    expect(out.docsBlind!.counters.lostUpdates).toBeGreaterThan(10);
    expect(out.docsSafe!.counters.lostUpdates ?? 0).toBe(0);
    expect(out.docsSafe!.counters.preconditionFailed).toBeGreaterThan(10);
    expect(out.app!.byStatus['412']).toBe(out.docsSafe!.counters.preconditionFailed);
  });

  it('pagination is walked: offset pages repeat and skip items under writers and cost more deep; cursor pages do neither', () => {
    const out = runScenarioFile('pagination').components;
    const off = out.feedOffset!;
    const cur = out.feedCursor!;
    expect(off.counters.walksCompleted).toBeGreaterThan(3);
    expect(cur.counters.walksCompleted).toBeGreaterThan(3);
    expect(off.counters.itemsDuplicated).toBeGreaterThan(100);
    expect(off.counters.itemsSkipped).toBeGreaterThan(0);
    expect(cur.counters.itemsDuplicated ?? 0).toBe(0);
    expect(cur.counters.itemsSkipped ?? 0).toBe(0);
    const offCost = (off.extras!.pageCost as Record<string, Record<string, number>>).offset!;
    const curCost = (cur.extras!.pageCost as Record<string, Record<string, number>>).cursor!;
    expect(offCost['p17-64']!).toBeGreaterThan(offCost.p1! * 1.5);
    expect(curCost['p17-64']).toBe(curCost.p1);
  });
});
