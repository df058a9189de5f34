import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DIST,
  distributedSpeedSection,
  replaceSpeedSection,
  SPEED_BEGIN,
  SPEED_END,
} from '../../../bench/distributed-doc.ts';
import type { Figure } from '../../../bench/measure.ts';
import type { BenchReport } from '../../../bench/report.ts';

const fig = (median: number, min = median, max = median, runs = 3): Figure => ({
  median,
  min,
  max,
  runs,
  unit: '',
});

function report(figures: Record<string, Figure>, quick = false): BenchReport {
  return {
    node: 'v20',
    cpu: { model: 'test cpu', count: 2 },
    date: '2026-12-03T13:00:00Z',
    groups: ['distributed'],
    quick,
    figures,
    checks: [],
  };
}

const FULL = {
  [DIST.one]: fig(30_000, 29_000, 31_000),
  [DIST.two]: fig(16_000, 15_500, 16_500),
  [DIST.speedup]: fig(1.875, 1.8, 1.9),
  [DIST.ceiling]: fig(1.95, 1.9, 2),
  [DIST.ratio]: fig(0.96, 0.94, 0.97),
  [DIST.overhead]: fig(25, 24, 26),
  [DIST.load]: fig(0.3, 0.1, 0.5),
  [DIST.seconds]: fig(540, 540, 540, 1),
};

describe('the Speed figures of docs/distributed.md', () => {
  it('are written from the run: table, verdict, and the projection from the measured overhead', () => {
    const s = distributedSpeedSection(report(FULL));
    expect(s).toContain('| speed-up 2 workers vs 1 | **1.88** (1.80–1.90) |');
    expect(s).toContain('1 worker process | 30.0 s (29.0 s–31.0 s) |');
    expect(s).toContain('**met** in this run');
    expect(s).toContain('The group took 9 min.');
    // o = 25 ms, c = 1 s: 10 machines = 80 workers → 80 / 1.025 = 78 jobs/s, 78× one core
    expect(s).toContain('| 10 | 80 | 1 s | 78 | 78× | 2 % of one Redis core |');
    // 100 machines of 0.1 s jobs: 800 / 0.125 = 6 400 jobs/s, past one Redis core
    expect(s).toContain('| 100 | 800 | 0.1 s | 6,400 | 640× | Redis (one core)');
    expect(s).not.toContain('noisier');
  });

  it('say when the machine was loaded or the target missed, and are empty without the group', () => {
    const loaded = distributedSpeedSection(
      report({ ...FULL, [DIST.speedup]: fig(1.3, 1.2, 1.9), [DIST.load]: fig(12, 9, 20) }),
    );
    expect(loaded).toContain('**not met** in this run');
    expect(loaded).toContain('noisier than on an idle machine');
    expect(distributedSpeedSection(report({ [DIST.one]: fig(1) }))).toBe('');
  });

  it('replace only the text between the markers of the real page', () => {
    const doc = readFileSync(new URL('../../../docs/distributed.md', import.meta.url), 'utf8');
    const out = replaceSpeedSection(doc, 'NEW');
    expect(out).toContain(`${SPEED_BEGIN}\nNEW\n${SPEED_END}`);
    expect(out.slice(0, out.indexOf(SPEED_BEGIN))).toBe(doc.slice(0, doc.indexOf(SPEED_BEGIN)));
    expect(out.slice(out.indexOf(SPEED_END))).toBe(doc.slice(doc.indexOf(SPEED_END)));
    expect(() => replaceSpeedSection('no markers', 'x')).toThrow(/lacks the lines/);
  });
});
