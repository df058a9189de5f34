// Bad queue options are usage errors (exit 2, one line); the lossless codec and the URL parser.
import { describe, expect, it } from 'vitest';
import { compareCommand } from '../../cli/commands/compare.ts';
import type { CommandIo } from '../../cli/commands/experiment-io.ts';
import { sweepCommand } from '../../cli/commands/sweep.ts';
import { decode, encode, pack, unpack } from '../../cli/queue/codec.ts';
import { parseQueueUrl } from '../../cli/queue/connection.ts';

function io() {
  const err: string[] = [];
  const out: string[] = [];
  const value: CommandIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTTY: false,
    cwd: process.cwd(),
  };
  return { io: value, err, out };
}

describe('queue options', () => {
  const lb = ['scenarios/lb-compare.json', '--replications', '2'];
  it.each([
    [['--queue', 'http://x:1'], /--queue expects redis:\/\/HOST:PORT, got "http:\/\/x:1"/],
    [['--chunk', '3'], /--chunk and --detach go with --queue/],
    [['--detach'], /--chunk and --detach go with --queue/],
    [['--queue', 'redis://127.0.0.1:1', '--workers', '2'], /--workers is for local runs/],
    [['--queue', 'redis://127.0.0.1:1', '--chunk', '0'], /--chunk expects a positive integer/],
  ])('compare %j is a usage error', async (extra, message) => {
    const t = io();
    expect(await compareCommand([...lb, ...extra], t.io)).toBe(2);
    expect(t.err.join('')).toMatch(message);
    expect(t.out).toEqual([]);
  });

  it('sweep checks --queue the same way', async () => {
    const t = io();
    const args = [
      'scenarios/capacity-plan.json',
      '--out',
      'test-output/never',
      '--queue',
      'redis://',
    ];
    expect(await sweepCommand(args, t.io)).toBe(2);
    expect(t.err.join('')).toMatch(/--queue expects redis:\/\/HOST:PORT/);
  });
});

describe('codec and URL', () => {
  it('keeps NaN, ±Infinity and -0 that JSON loses, through deflate', () => {
    const value = {
      a: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1.5],
      s: 'x',
    };
    const back = decode<typeof value>(unpack(pack(encode(value))));
    expect(back.a.map((x) => (Object.is(x, -0) ? '-0' : String(x)))).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
      '-0',
      '0',
      '1.5',
    ]);
    expect(back.s).toBe('x');
    expect(encode(value)).not.toBe(JSON.stringify(value));
  });

  it('parses redis://HOST:PORT[/DB] and nothing else', () => {
    expect(parseQueueUrl('redis://10.1.2.3:6380/2')).toMatchObject({
      host: '10.1.2.3',
      port: 6380,
      db: 2,
    });
    expect(parseQueueUrl('redis://localhost')).toMatchObject({
      host: 'localhost',
      port: 6379,
      db: 0,
    });
    expect(parseQueueUrl('redis://h:0')).toBeUndefined();
    expect(parseQueueUrl('rediss://h:1')).toBeUndefined();
    expect(parseQueueUrl('redis://h:99999')).toBeUndefined();
  });
});
