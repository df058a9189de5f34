// Re-runs every scenario in scenarios/ and compares it exactly with test/golden/<name>.golden.json.
// Intended changes: `npm run golden:update`, then review the diff of the golden files.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Golden, goldenPath, goldenRun, scenarioNames } from './golden.ts';

const UPDATE = 'run `npm run golden:update` and review the diff of test/golden/';

describe('golden runs', () => {
  it.each(scenarioNames())('%s matches its golden file', (name) => {
    const path = goldenPath(name);
    if (!existsSync(path)) {
      expect.fail(`scenarios/${name}.json has no golden file ${path}: ${UPDATE}`);
    }
    const golden = JSON.parse(readFileSync(path, 'utf8')) as Golden;
    const actual = goldenRun(name, golden.overrides);
    expect(actual, `${name} differs from ${path}; if the change is intended, ${UPDATE}`).toEqual(
      golden,
    );
  });
});
