import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { distributedSpeedSection, replaceSpeedSection } from './distributed-doc.ts';
import { GROUPS } from './groups.ts';
import type { Check, Figure } from './measure.ts';
import {
  type BenchReport,
  cacheCurveSection,
  checkTable,
  figureTable,
  machine,
  performancePage,
} from './report.ts';

// Usage: node --expose-gc dist/bench.mjs [--only NAME] [--quick]
//        node dist/bench.mjs --child KEY ARGS...   (used by groups that need a fresh process)

function runChildMode(key: string, args: readonly string[]): void {
  for (const group of GROUPS) {
    const child = group.children?.[key];
    if (child !== undefined) {
      process.stdout.write(`${JSON.stringify(child(args))}\n`);
      return;
    }
  }
  throw new Error(`unknown child '${key}'`);
}

/**
 * A run of the distributed group (alone or in the full run, not --quick) rewrites the speed
 * figures of docs/distributed.md and keeps its raw figures in bench/results/distributed.json.
 */
function writeDistributedSpeed(report: BenchReport): void {
  const section = distributedSpeedSection(report);
  if (section === '') return;
  process.stdout.write(`\n${section}\n`);
  if (report.quick) {
    process.stdout.write('\n(--quick: docs/distributed.md not written)\n');
    return;
  }
  const doc = new URL('../docs/distributed.md', import.meta.url);
  writeFileSync(doc, replaceSpeedSection(readFileSync(doc, 'utf8'), section));
  const dir = new URL('../bench/results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('distributed.json', dir), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write('\nwrote docs/distributed.md (Speed) and bench/results/distributed.json\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const childAt = argv.indexOf('--child');
  if (childAt >= 0) {
    runChildMode(argv[childAt + 1] ?? '', argv.slice(childAt + 2));
    return;
  }
  const quick = argv.includes('--quick');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  const selected = only === undefined ? GROUPS : GROUPS.filter((g) => g.name === only);
  if (selected.length === 0) {
    throw new Error(`no group '${only}'; groups: ${GROUPS.map((g) => g.name).join(', ')}`);
  }
  const figures: Record<string, Figure> = {};
  const checks: Check[] = [];
  for (const group of selected) {
    const started = process.hrtime.bigint();
    process.stdout.write(`${group.name}: ${group.summary} ...`);
    const result = await group.run({ quick });
    Object.assign(figures, result.figures);
    checks.push(...result.checks);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(` ${seconds.toFixed(1)} s\n`);
  }
  const report: BenchReport = {
    ...machine(),
    date: new Date().toISOString(),
    groups: selected.map((g) => g.name),
    quick,
    figures,
    checks,
  };
  process.stdout.write(`\n${figureTable(figures)}\n\n${checkTable(checks)}\n`);
  writeDistributedSpeed(report);
  if (only === undefined) {
    const dir = new URL('../bench/results/', import.meta.url);
    mkdirSync(dir, { recursive: true });
    writeFileSync(new URL('latest.json', dir), `${JSON.stringify(report, null, 2)}\n`);
    mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
    writeFileSync(new URL('../docs/performance.md', import.meta.url), performancePage(report));
    process.stdout.write('\nwrote bench/results/latest.json and docs/performance.md\n');
  } else {
    // the page's section for this group when it has one, to check or paste
    const section = cacheCurveSection(report);
    if (section !== '') process.stdout.write(`\n${section}`);
    process.stdout.write(
      '\n(--only: docs/performance.md and bench/results/latest.json not written; run all groups to refresh them)\n',
    );
  }
}

await main(process.argv.slice(2));
