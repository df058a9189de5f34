// The installed bin as a user gets it: `npm pack`, install the tarball into an empty folder,
// then `npx stacksim`; and `npx stacksim` inside the repository.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { npmEnv, type Packed, packRepository, sh } from '../helpers/package.ts';
import { REPO_ROOT } from '../helpers/reference.ts';

let packed: Packed;
let project: string;
beforeAll(() => {
  packed = packRepository();
  project = join(packed.tarball, '..', 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "uses-stacksim", "private": true }\n');
  // The three runtime dependencies come from the npm cache `npm ci` filled (the registry only if
  // they are missing there); everything else is bundled.
  const install = sh(
    `npm install --prefer-offline --no-audit --no-fund "${packed.tarball}"`,
    project,
    { ...npmEnv(packed.cache), npm_config_cache: undefined },
    600_000,
  );
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
});

afterAll(() => rmSync(join(packed.tarball, '..'), { recursive: true, force: true }));

describe('the packed package', () => {
  test('holds the bin, the worker, the report runtime, every bundled scenario and the schema', () => {
    const scenarios = packed.files.filter((f) => f.startsWith('scenarios/'));
    expect(scenarios.length).toBeGreaterThanOrEqual(16);
    for (const f of [
      'dist/stacksim.mjs',
      'dist/worker.mjs',
      'dist/queue-processor.mjs',
      'dist/playground/index.html',
      'dist/report-runtime.js',
      'docs/scenario.schema.json',
      'scenarios/quickstart.json',
      'package.json',
      'README.md',
    ])
      expect(packed.files).toContain(f);
    // the report code is a lazily loaded chunk of the bin
    expect(packed.files.some((f) => /^dist\/chunks\/.*\.mjs$/.test(f))).toBe(true);
    // no sources, tests or source maps: the bin is bundled
    expect(packed.files.filter((f) => /\.(ts|map)$/.test(f))).toEqual([]);
  });

  test('the bin starts with the node hashbang and is executable', () => {
    const bin = join(packed.unpacked, pkg.bin.stacksim);
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  test('its runtime dependencies are only the three that cannot be bundled', () => {
    const manifest = JSON.parse(readFileSync(join(packed.unpacked, 'package.json'), 'utf8'));
    // bullmq forks its sandboxed processors from its own files (ioredis is its client);
    // esbuild bundles user algorithm modules at run time
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual([
      'bullmq',
      'esbuild',
      'ioredis',
    ]);
  });
});

describe('installed from the tarball into an empty folder', () => {
  test('npx stacksim --help', () => {
    const r = sh('npx stacksim --help', project, npmEnv(packed.cache));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: stacksim COMMAND');
  });

  test('npx stacksim run on a bundled scenario prints its summary', () => {
    const r = sh(
      'npx stacksim run node_modules/stacksim/scenarios/quickstart.json --duration 5s',
      project,
      npmEnv(packed.cache),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^quickstart: 5s measured/m);
    expect(r.stdout).toMatch(/^app\s+app-server\s+\d+/m);
  });

  test('npx stacksim list finds the bundled scenarios from any folder', () => {
    const r = sh('npx stacksim list', project, npmEnv(packed.cache));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(join('node_modules', 'stacksim', 'scenarios', 'quickstart.json'));
  });
});

describe('inside the repository', () => {
  test('npx stacksim --version runs the repository bin', () => {
    const r = sh('npx stacksim --version', REPO_ROOT, npmEnv(packed.cache));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`stacksim ${pkg.version}\n`);
  });
});
