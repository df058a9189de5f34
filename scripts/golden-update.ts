// Regenerates test/golden/<name>.golden.json for every scenario in scenarios/ (npm run golden:update).
// Keeps the overrides of an existing golden file; new scenarios get defaultOverrides().
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  defaultOverrides,
  type Golden,
  goldenPath,
  goldenRun,
  goldenText,
  scenarioNames,
} from '../test/golden/golden.ts';

let failed = 0;
for (const name of scenarioNames()) {
  const path = goldenPath(name);
  const previous = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Golden)
    : undefined;
  try {
    const text = goldenText(goldenRun(name, previous?.overrides ?? defaultOverrides(name)));
    const changed =
      previous === undefined ? 'new' : readFileSync(path, 'utf8') === text ? 'same' : 'changed';
    writeFileSync(path, text);
    console.log(`${name}: ${changed}`);
  } catch (e) {
    failed++;
    console.error(`${name}: ${(e as Error).message}`);
  }
}
if (failed > 0) {
  console.error(`${failed} scenario(s) without a golden file`);
  process.exitCode = 1;
}
