import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../wiring/scenario-run.ts';

/** The keyed payment route of scenarios/idempotency.json. */
const keyedRoute = (raw: Record<string, any>) => raw.components.appKeyed.routes[0];

/** A handler slower than the client's 500 ms timeout: retries arrive while the first runs. */
function slowHandler(raw: Record<string, any>): void {
  keyedRoute(raw).steps[0] = { cpu: '700ms' };
  raw.components.appKeyed.workers = 400;
  raw.timeline = [];
}

describe('idempotency keys (scenarios/idempotency.json, edited)', () => {
  it('a retry while the first attempt runs gets 409 Conflict by default', () => {
    const c = runScenarioFile('idempotency', slowHandler).components;
    expect(c.appKeyed!.byStatus['409']).toBeGreaterThan(20);
    expect(c.keys!.counters.concurrent).toBeGreaterThanOrEqual(c.appKeyed!.byStatus['409']!);
    expect(c.dbKeyed!.counters.duplicateWrites ?? 0).toBe(0);
  });

  it('with concurrent "wait" the retry waits for the stored outcome instead', () => {
    const c = runScenarioFile('idempotency', (raw) => {
      slowHandler(raw);
      keyedRoute(raw).idempotency.concurrent = 'wait';
    }).components;
    expect(c.appKeyed!.byStatus['409'] ?? 0).toBe(0);
    expect(c.appKeyed!.counters.idempotencyWaits).toBeGreaterThan(20);
    expect(c.appKeyed!.counters.idempotentReplays).toBeGreaterThan(0);
    expect(c.dbKeyed!.counters.duplicateWrites ?? 0).toBe(0);
  });

  it('a TTL shorter than the retry delay lets retries charge again (expiry is visible)', () => {
    const c = runScenarioFile('idempotency', (raw) => {
      raw.components.keys.ttl = '50ms';
      raw.timeline = [];
    }).components;
    expect(c.keys!.counters.keysExpired).toBeGreaterThan(100);
    expect(c.dbKeyed!.counters.duplicateWrites).toBeGreaterThan(5);
  });

  it('onStoreDown "proceed" runs payments unprotected during the outage instead of 503', () => {
    const c = runScenarioFile('idempotency', (raw) => {
      keyedRoute(raw).idempotency.onStoreDown = 'proceed';
    }).components;
    expect(c.appKeyed!.byStatus['503'] ?? 0).toBe(0);
    expect(c.appKeyed!.counters.idempotencyUnprotected).toBeGreaterThan(100);
    expect(c.appKeyed!.counters.idempotencyUnprotected).toBe(
      c.appKeyed!.counters.idempotencyStoreDown,
    );
  });

  it('a capacity smaller than the keys in use evicts keys early', () => {
    const c = runScenarioFile('idempotency', (raw) => {
      raw.components.keys.capacity = 10;
      raw.timeline = [];
    }).components;
    expect(c.keys!.counters.evictedEarly).toBeGreaterThan(100);
    expect(c.dbKeyed!.counters.duplicateWrites).toBeGreaterThan(0);
  });
});

describe('idempotency keys whose first attempt died with its server', () => {
  /** The keyed app crashes at 2 s for 100 ms: the requests inside never report their outcome. */
  const crashApp = (lockTimeout: string) => (raw: Record<string, any>) => {
    raw.timeline = [{ action: 'crash', at: '2s', target: 'appKeyed', for: '100ms' }];
    raw.components.keys.lockTimeout = lockTimeout;
    keyedRoute(raw).steps[1] = { io: '150ms' };
    raw.components.appKeyed.workers = 200;
  };

  it('stay locked (retries get 409) until lockTimeout, then a retry takes the key over', () => {
    const held = runScenarioFile('idempotency', crashApp('60s')).components;
    expect(held.keys!.counters.locksExpired ?? 0).toBe(0);
    expect(held.appKeyed!.byStatus['409']).toBeGreaterThan(5);
    const released = runScenarioFile('idempotency', crashApp('400ms')).components;
    expect(released.keys!.counters.locksExpired).toBeGreaterThan(0);
    expect(released.appKeyed!.byStatus['409'] ?? 0).toBeLessThan(held.appKeyed!.byStatus['409']!);
  });
});

describe('pagination limits (scenarios/pagination.json, edited)', () => {
  it('a page larger than maxPageSize answers 400 without a query', () => {
    const c = runScenarioFile('pagination', (raw) => {
      raw.components.offsetReaders.pageSize = 150;
    }).components;
    expect(c.offsetReaders!.byStatus['400']).toBeGreaterThan(10);
    expect(c.offsetReaders!.counters.walksFailed).toBe(c.offsetReaders!.byStatus['400']);
    expect(c.feedOffset!.counters.pages ?? 0).toBe(0);
  });

  it('the total count costs a scan of the collection on every page', () => {
    const run = (count: boolean) =>
      runScenarioFile('pagination', (raw) => {
        raw.components.app.routes[0].steps[1].totalCount = count;
      }).components.feedOffset!.extras!.pageCost as Record<string, Record<string, number>>;
    const withCount = run(true).offset!.p1!;
    const without = run(false).offset!.p1!;
    // 5 000 items at 1 µs each.
    expect(withCount - without).toBeGreaterThan(0.004);
    expect(withCount - without).toBeLessThan(0.007);
  });
});
