import { describe, expect, it } from 'vitest';
import { CombinedLogReader, parseClfTime } from '../../../models/trace/combined-log.ts';
import { CsvTraceReader } from '../../../models/trace/csv.ts';
import { LineScanner } from '../../../models/trace/lines.ts';
import { openTrace, traceRead } from '../../../models/trace/open.ts';
import { encodeOracleGeneral, OracleGeneralReader } from '../../../models/trace/oracle-general.ts';
import { bytesSource, type TraceSource, utf8Bytes } from '../../../models/trace/record.ts';
import { KeySampler } from '../../../models/trace/sample.ts';

function all(src: TraceSource) {
  const out: {
    time: number;
    key: number | string;
    size: number;
    method: string;
    path: string;
    user: string;
  }[] = [];
  for (let r = src.next(); r !== undefined; r = src.next()) out.push({ ...r });
  return out;
}
const csv = (text: string, options = {}) =>
  new CsvTraceReader(bytesSource('t.csv', utf8Bytes(text)), options);

describe('CSV trace reader', () => {
  it('maps columns by header name, parses numbers without allocation, keeps string keys', () => {
    const text =
      'ts,obj,bytes,verb,url,who\n0.5,17,100,GET,/a,alice\r\n1.25,k-9,2,POST,"/b,""x""",bob\n\n2,007,3,GET,/c,\n';
    const rows = all(
      csv(text, {
        columns: {
          time: 'ts',
          key: 'obj',
          size: 'bytes',
          method: 'verb',
          path: 'url',
          user: 'who',
        },
        text: true,
      }),
    );
    expect(rows).toEqual([
      { time: 500_000, key: 17, size: 100, method: 'GET', path: '/a', user: 'alice' },
      { time: 1_250_000, key: 'k-9', size: 2, method: 'POST', path: '/b,"x"', user: 'bob' },
      { time: 2_000_000, key: '007', size: 3, method: 'GET', path: '/c', user: '' },
    ]);
  });

  it('reads lines wider than its field table, and a last line without a newline', () => {
    // 20 columns: more than the 16 field slots the one-pass split starts with
    const names = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const row = (k: number) => names.map((_, i) => (i === 18 ? k : i)).join(',');
    const text = `${names.join(',')}\n${row(5)}\n${row(6)}\r\n${row(7)}`;
    const rows = all(csv(text, { columns: { key: 'c18', time: 'c2', size: 'c19' } }));
    expect(rows.map((r) => [r.key, r.time, r.size])).toEqual([
      [5, 2_000_000, 19],
      [6, 2_000_000, 19],
      [7, 2_000_000, 19],
    ]);
    expect(all(csv('time,key\n1,a\n2,b\r')).map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('falls back to the path as key and honours the time unit', () => {
    const rows = all(csv('time,path\n10,/x\n20,/y\n', { timeUnit: 'ms' }));
    expect(rows.map((r) => [r.time, r.key])).toEqual([
      [10_000, '/x'],
      [20_000, '/y'],
    ]);
  });

  it('reads lines split across buffer refills and lines longer than the buffer', () => {
    const long = 'x'.repeat(5000);
    const body = Array.from({ length: 300 }, (_, i) => `${i},${i % 2 ? long : i}`).join('\n');
    const src = bytesSource('t', utf8Bytes(`time,key\n${body}\n`));
    const lines = new LineScanner(src, 64);
    let n = 0;
    while (lines.next()) n++;
    expect(n).toBe(301);
  });

  it('splits exactly when reads are short and stale newlines lie past the filled part', () => {
    // after a refill moves the unread tail to the front, old newline bytes stay behind it
    const text = 'aaaaaaaaaa\nb\r\n\ncc\ndddddddddddddddddddd\ne';
    const bytes = utf8Bytes(text);
    let at = 0;
    const src = {
      name: 't',
      read(into: Uint8Array) {
        const n = Math.min(3, into.length, bytes.length - at);
        into.set(bytes.subarray(at, at + n));
        at += n;
        return n;
      },
    };
    const lines = new LineScanner(src, 16);
    const got: [string, number][] = [];
    while (lines.next()) {
      got.push([Buffer.from(lines.buf.subarray(lines.start, lines.end)).toString(), lines.offset]);
    }
    expect(got).toEqual([
      ['aaaaaaaaaa', 0],
      ['b', 11],
      ['', 14],
      ['cc', 15],
      ['dddddddddddddddddddd', 18],
      ['e', 39],
    ]);
  });

  it.each([
    ['', 'empty file, expected a CSV header line'],
    ['a,b\n1,2\n', 'expected a "key" or "path" column'],
    ['time,key\nabc,1\n', 'line 2, column "time": expected a non-negative number, got "abc"'],
    ['time,key,size\n1,2,3.5\n', 'column "size": expected a whole number of bytes, got "3.5"'],
    ['time,key,size\n1,2\n', 'line 2: expected at least 3 fields, got 2'],
  ])('bad input %j names the place: %s', (text, message) => {
    expect(() => all(csv(text))).toThrow(message);
  });

  it('a mapped column missing from the header is named', () => {
    expect(() => csv('a,key\n', { columns: { size: 'bytes' } })).toThrow(
      'line 1: expected a column "bytes" (size)',
    );
  });
});

describe('combined access log reader', () => {
  it('parses host, time with zone, request line, size', () => {
    const log =
      '10.1.2.3 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?x=1 HTTP/1.0" 200 2326 "http://e/" "Mozilla"\n' +
      '10.1.2.4 - - [10/Oct/2000:13:55:35 -0700] "POST /api HTTP/1.1" 201 - "-" "-"\n';
    const rows = all(new CombinedLogReader(bytesSource('a.log', utf8Bytes(log)), true));
    const t = Date.UTC(2000, 9, 10, 20, 55, 36) * 1000;
    expect(rows).toEqual([
      {
        time: t,
        key: '/apache_pb.gif?x=1',
        size: 2326,
        method: 'GET',
        path: '/apache_pb.gif?x=1',
        user: '10.1.2.3',
      },
      // written one second earlier but logged later: raised to the previous time
      { time: t, key: '/api', size: 0, method: 'POST', path: '/api', user: '10.1.2.4' },
    ]);
  });

  it('converts CLF times exactly (leap day, positive zone)', () => {
    const b = utf8Bytes('29/Feb/2024:00:00:00 +0100');
    expect(parseClfTime(b, 0, b.length)).toBe(Date.UTC(2024, 1, 28, 23) / 1000);
  });

  it('a bad line names file, line and what was expected', () => {
    const log =
      '1.1.1.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 5\n1.1.1.1 - - [10/Foo/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 5\n';
    expect(() => all(new CombinedLogReader(bytesSource('a.log', utf8Bytes(log))))).toThrow(
      /a\.log: line 2: expected a time like \[10\/Oct\/2000:13:55:36 -0700\]/,
    );
  });
});

describe('oracleGeneral reader', () => {
  it('reads 24-byte little-endian records, ids above 2^32 included', () => {
    const bytes = encodeOracleGeneral([
      { time: 5, id: 1, size: 100 },
      { time: 6, id: 2 ** 40 + 3, size: 7 },
    ]);
    const rows = all(new OracleGeneralReader(bytesSource('t.bin', bytes)));
    expect(rows.map((r) => [r.time, r.key, r.size])).toEqual([
      [5_000_000, 1, 100],
      [6_000_000, 2 ** 40 + 3, 7],
    ]);
  });

  it('a truncated file fails at the byte offset of the partial record', () => {
    const bytes = encodeOracleGeneral([
      { time: 1, id: 1, size: 1 },
      { time: 1, id: 2, size: 1 },
    ]).subarray(0, 40);
    expect(() => all(new OracleGeneralReader(bytesSource('t.bin', bytes)))).toThrow(
      't.bin: byte offset 24: expected a 24-byte oracleGeneral record, the file ends after 16 bytes',
    );
  });
});

describe('openTrace: scaling, window, sampling', () => {
  const text = `time,key\n${Array.from({ length: 100 }, (_, i) => `${100 + i},${i % 10}`).join('\n')}\n`;
  const open = (extra: object) =>
    openTrace(bytesSource('t.csv', utf8Bytes(text)), traceRead({ format: 'csv', ...extra }));

  it('times start at 0 and divide by the speed-up', () => {
    const rows = all(open({ speedup: 4 }));
    expect(rows.slice(0, 3).map((r) => r.time)).toEqual([0, 250_000, 500_000]);
  });

  it('a window keeps [from, to) and starts the clock at from', () => {
    const rows = all(open({ from: '10s', to: '20s' }));
    expect(rows.length).toBe(10);
    expect(rows[0]!.time).toBe(0);
    expect(rows[0]!.key).toBe(0);
  });

  it('sampling keeps whole keys, about the rate of them', () => {
    const rows = all(open({ sample: 0.5, salt: 3 }));
    const keys = new Set(rows.map((r) => r.key));
    for (const k of keys) expect(rows.filter((r) => r.key === k).length).toBe(10);
    const s = new KeySampler(0.1, 0);
    let kept = 0;
    for (let k = 0; k < 100_000; k++) if (s.keeps(k)) kept++;
    expect(kept).toBeGreaterThan(9_400);
    expect(kept).toBeLessThan(10_600);
  });

  it('memory is flat: a 10x longer trace uses the same buffers', () => {
    const lines = (n: number) =>
      `time,key\n${Array.from({ length: n }, (_, i) => `${i},${i}`).join('\n')}\n`;
    const sizes = [2_000, 20_000].map((n) => {
      const scanner = new LineScanner(bytesSource('t', utf8Bytes(lines(n))), 4096);
      while (scanner.next());
      return scanner.buf.length;
    });
    expect(sizes).toEqual([4096, 4096]);
  });
});
