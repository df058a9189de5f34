import { describe, expect, test } from 'vitest';
import { parseArgs, UsageError } from '../../cli/args.ts';
import { parseOptions } from '../../cli/commands/experiment-io.ts';
import { csvCell, timeseriesCsv } from '../../cli/csv.ts';
import { formatSeconds } from '../../cli/summary.ts';

describe('csv', () => {
  test('cells that a spreadsheet would run as formulas are defused; quotes are escaped', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('app')).toBe('app');
    expect(csvCell(-1.5)).toBe('-1.5'); // numbers are data, not formulas
  });

  test('one row per replication, component, window and metric', () => {
    const csv = timeseriesCsv([
      [
        {
          component: 'app',
          start: 0,
          window: 0.5,
          metrics: { arrivals: [3, 4], latencyMean: [0.001, 0] },
        },
      ],
    ]);
    expect(csv).toBe(
      'replication,component,window_start_s,window_end_s,metric,value\n' +
        '0,app,0,0.5,arrivals,3\n0,app,0.5,1,arrivals,4\n0,app,0,0.5,latencyMean,0.001\n0,app,0.5,1,latencyMean,0\n',
    );
  });
});

describe('parseArgs', () => {
  const spec = {
    out: { kind: 'string', short: 'o' },
    set: { kind: 'list' },
    json: { kind: 'boolean' },
  } as const;
  test('values, inline values, short options, lists and --', () => {
    const p = parseArgs(
      ['f.json', '--out=d', '--set', 'a=1', '--set', 'b=2', '--json', '--', '--x'],
      spec,
    );
    expect(p.positionals).toEqual(['f.json', '--x']);
    expect(p.values.get('out')).toBe('d');
    expect(p.lists.get('set')).toEqual(['a=1', 'b=2']);
    expect(p.flags.has('json')).toBe(true);
    expect(parseArgs(['-o', 'x'], spec).values.get('out')).toBe('x');
  });
  test('mistakes are usage errors', () => {
    expect(() => parseArgs(['--nope'], spec)).toThrow(UsageError);
    expect(() => parseArgs(['--out'], spec)).toThrow('--out needs a value');
    expect(() => parseArgs(['--json=1'], spec)).toThrow('takes no value');
    expect(() => parseArgs(['--toString'], spec)).toThrow(UsageError);
  });
});

test('formatSeconds picks a readable unit', () => {
  expect(formatSeconds(0.00085)).toBe('850µs');
  expect(formatSeconds(0.0123)).toBe('12.3ms');
  expect(formatSeconds(1.25)).toBe('1.25s');
});

describe('parseOptions (sweep, compare) shares parseArgs', () => {
  test('flags, values, repeated --set, and the same usage errors', () => {
    const o = parseOptions(
      ['s.json', '--workers=2', '--set', 'a=1', '--set', 'b=2', '--json'],
      ['json'],
      ['workers'],
    );
    expect(o.positionals).toEqual(['s.json']);
    expect(o.values.get('workers')).toBe('2');
    expect(o.sets).toEqual(['a=1', 'b=2']);
    expect(o.flags.has('json')).toBe(true);
    expect(() => parseOptions(['--workers', '1', '--workers', '2'], [], ['workers'])).toThrow(
      '--workers given twice',
    );
    expect(() => parseOptions(['-w', '2'], [], ['workers'])).toThrow('unknown option -w');
    expect(() => parseOptions(['--json=yes'], ['json'], [])).toThrow('--json takes no value');
    expect(() => parseOptions(['--replications'], [], ['replications'])).toThrow(UsageError);
  });
});
