import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliInProcess } from '../../testing/cli-in-process.ts';

/** Writes a copy of an example with `edit` applied, module paths made absolute. */
function variant(example: string, edit: (s: Record<string, any>) => void): string {
  const s = JSON.parse(readFileSync(example, 'utf8'));
  delete s.$schema;
  edit(s);
  const dir = mkdtempSync(join(tmpdir(), 'stacksim-user-'));
  const file = join(dir, 's.json');
  writeFileSync(
    file,
    JSON.stringify(s).replaceAll('./algorithms/', `${resolve('examples/algorithms')}/`),
  );
  return file;
}

describe('a user rate-limit algorithm in a scenario', () => {
  it('runs the module with its options: at most 5 per user per second', async () => {
    const r = await cliInProcess(['run', 'examples/user-limiter.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const gw = JSON.parse(r.stdout).runs[0].components.gateway;
    // 20 users × 5/s × 10 s measured; each sends about 10/s, so about half is rejected
    expect(gw.counters.allowed).toBeLessThanOrEqual(1000);
    expect(gw.counters.allowed).toBeGreaterThan(900);
    expect(gw.ratios.rejectRatio429).toBeGreaterThan(0.4);
    for (const k of gw.extras.topKeys) expect(k.allowed).toBeLessThanOrEqual(50);
  }, 60_000);

  it('a tier naming a missing module is reported at its JSON pointer (exit 2)', async () => {
    const file = variant('examples/user-limiter.json', (s) => {
      s.components.gateway.tiers = { free: { module: './missing.ts' } };
    });
    const r = await cliInProcess(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/components/gateway/tiers/free/module: ./missing.ts');
  }, 60_000);
});

describe('a user cache policy in a scenario', () => {
  it('runs the module: the same hits and misses as the built-in LRU', async () => {
    const r = await cliInProcess(['run', 'examples/user-cache-policy.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const edge = JSON.parse(r.stdout).runs[0].components.edge;
    expect(edge.ratios.hitRatio).toBeGreaterThan(0.4);
    expect(edge.ratios.hitRatio).toBeLessThan(0.6);
    const builtIn = variant('examples/user-cache-policy.json', (s) => {
      s.components.edge.policy = 'lru';
    });
    const b = await cliInProcess(['run', builtIn, '--json']);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).runs[0].components.edge.counters).toEqual(edge.counters);
  }, 60_000);

  it('a policy that throws stops the run naming the module', async () => {
    const file = variant('examples/user-cache-policy.json', (s) => {
      s.components.edge.policy = { module: './thrower.ts' };
    });
    writeFileSync(
      join(file, '..', 'thrower.ts'),
      'export function create() { return { name: "t", capacity: 1, capacityBytes: Infinity, size: 0, bytes: 0, onEvict: undefined, get() { throw new Error("no get"); }, has: () => false, admit() {}, delete: () => false, clear() {} }; }\n',
    );
    const r = await cliInProcess(['run', file, '--out', join(file, '..', 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('algorithm module ./thrower.ts threw in get(): no get');
  }, 60_000);
});
