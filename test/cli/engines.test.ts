// Every installed package admits every Node version package.json declares (so `npm install`
// on a supported Node prints no EBADENGINE warning), and the running Node is one of them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, test } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import lock from '../../package-lock.json' with { type: 'json' };
import { REPO_ROOT } from '../helpers/reference.ts';

const declared = pkg.engines.node;

/** Installed packages (those the lock file names and node_modules holds) with an engines.node. */
function installedEngines(): { name: string; range: string }[] {
  const out: { name: string; range: string }[] = [];
  for (const path of Object.keys(lock.packages)) {
    if (path === '' || !existsSync(join(REPO_ROOT, path, 'package.json'))) continue;
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, path, 'package.json'), 'utf8'));
    const range = manifest.engines?.node;
    if (typeof range === 'string') out.push({ name: path.replace(/^node_modules\//, ''), range });
  }
  return out;
}

describe('Node engines', () => {
  test('the declared range is valid and admits this Node', () => {
    expect(semver.validRange(declared)).not.toBeNull();
    expect(semver.satisfies(process.version, declared)).toBe(true);
  });

  test('every installed dependency admits the whole declared range', () => {
    const engines = installedEngines();
    expect(engines.map((e) => e.name)).toContain('vite');
    const narrower = engines
      .filter((e) => !semver.subset(declared, e.range))
      .map((e) => `${e.name} wants node ${e.range}`);
    expect(narrower).toEqual([]);
  });

  test('the check catches a dependency that wants a newer Node (vega-lite 6.5.0 wanted >=22)', () => {
    expect(semver.subset('>=20', '>=22')).toBe(false);
    expect(semver.subset(declared, '>=22')).toBe(false);
  });
});
