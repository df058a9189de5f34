import { describe, expect, it } from 'vitest';
import { longRunInput } from '../../bench/html-report.ts';
import { tracesFromChrome } from '../../cli/commands/report.ts';
import { loadRuntime } from '../../cli/report-io.ts';
import { startReplication } from '../../experiments/replications.ts';
import { idHash, TraceCollector, type TracedRequest } from '../../models/core/trace-collector.ts';
import { loadScenarioText } from '../../models/scenario/load.ts';
import { escapeHtml, jsonForScript } from '../../report/escape.ts';
import { buildReport } from '../../report/page.ts';
import { bucketize } from '../../report/series.ts';
import { chromeTrace, otelTrace } from '../../report/traces.ts';
import { ensureRuntime, fixture, ROOT, stacksim, tempDir, text } from './helpers.ts';

const req = (id: number, latency: number): TracedRequest => ({
  id,
  client: 'c',
  className: 'k',
  method: 'GET',
  route: '/',
  status: 200,
  reason: 'ok',
  attempts: 1,
  start: id * 10,
  end: id * 10 + latency,
  spans: [{ component: 'app', phase: 'service', start: id * 10, end: id * 10 + latency }],
});

describe('escaping', () => {
  it('JSON in a script block cannot close the tag and parses back', () => {
    const value = { s: '</script><!-- & \u2028\u2029 <b>' };
    const out = jsonForScript(value);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(value);
  });
  it('HTML text escapes markup and quotes', () => {
    expect(escapeHtml(`<img src=x onerror="a">'&`)).toBe(
      '&lt;img src=x onerror=&quot;a&quot;&gt;&#39;&amp;',
    );
  });
  it('a hostile scenario name and description appear only escaped', async () => {
    ensureRuntime();
    const file = `${tempDir()}/xss.html`;
    expect((await stacksim(['run', fixture('xss.json'), '-q', '--report', file])).code).toBe(0);
    const html = text(file);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html.match(/<script/g)?.length).toBe(2); // the specs block and the runtime
  });
});

describe('TraceCollector', () => {
  it('keeps at most `limit` requests: the slowest and a hash sample, deterministically', () => {
    const a = new TraceCollector(10);
    const b = new TraceCollector(10);
    for (let i = 1; i <= 5000; i++) {
      a.offer(req(i, (i * 7919) % 10007));
      b.offer(req(i, (i * 7919) % 10007));
    }
    const kept = a.kept();
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept).toEqual(b.kept());
    const slow = kept.filter((r) => r.kept === 'slowest').map((r) => r.end - r.start);
    const all = Array.from({ length: 5000 }, (_, i) => ((i + 1) * 7919) % 10007).sort(
      (x, y) => y - x,
    );
    expect(slow).toEqual(all.slice(0, 5));
    const hashes = Array.from({ length: 5000 }, (_, i) => idHash(i + 1)).sort((x, y) => x - y);
    for (const r of kept.filter((k) => k.kept === 'sample')) {
      expect(idHash(r.id)).toBeLessThanOrEqual(hashes[4]!);
    }
  });

  it('tracing a run records client and stack spans and leaves the results unchanged', () => {
    const t = text(`${ROOT}/scenarios/quickstart.json`);
    const loaded = loadScenarioText(t, { overrides: [{ path: 'run.duration', value: '"3s"' }] });
    if (!loaded.ok) throw new Error('scenario');
    const traced = startReplication(loaded.scenario, 0, { traceRequests: 12 });
    const plain = startReplication(loaded.scenario, 0);
    expect(traced.finish()).toEqual(plain.finish());
    const kept = traced.built.tracer!.kept();
    expect(kept.length).toBe(12);
    const phases = new Set(kept.flatMap((r) => r.spans.map((s) => s.phase)));
    expect([...phases]).toEqual(expect.arrayContaining(['attempt', 'service']));
    for (const r of kept) {
      for (const s of r.spans) {
        expect(s.start).toBeGreaterThanOrEqual(r.start);
        expect(s.end).toBeLessThanOrEqual(r.end);
      }
    }
    const chrome = chromeTrace(kept, 'q') as { traceEvents: { ph: string; tid: number }[] };
    expect(new Set(chrome.traceEvents.filter((e) => e.ph === 'X').map((e) => e.tid)).size).toBe(12);
    const back = tracesFromChrome(chrome as never);
    expect(back.map((r) => [r.id, r.end - r.start, r.status])).toEqual(
      kept.map((r) => [r.id, r.end - r.start, r.status]),
    );
    const otel = otelTrace(kept, 'q') as {
      resourceSpans: { scopeSpans: { spans: { traceId: string; parentSpanId?: string }[] }[] }[];
    };
    const spans = otel.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(12);
    expect(spans.filter((s) => s.parentSpanId === undefined).length).toBe(12);
  });
});

describe('report generation', () => {
  it('downsamples long series into at most 600 buckets, keeping sums and maxima', () => {
    const n = 3600;
    const b = bucketize({
      component: 'x',
      start: 0,
      window: 1,
      metrics: {
        completions: Array.from({ length: n }, () => 2),
        latencyMax: Array.from({ length: n }, (_, i) => (i === 1234 ? 9 : 1)),
        latencyMean: Array.from({ length: n }, () => 0.5),
      },
    });
    expect(b.t.length).toBe(600);
    expect(b.sum('completions').reduce((s, v) => s + v, 0)).toBe(2 * n);
    expect(Math.max(...b.max('latencyMax'))).toBe(9);
    expect(b.meanLatency().every((v) => v === 0.5)).toBe(true);
  });

  it('a 1-hour run with per-second series gives a report under 5 MB with every chart', () => {
    ensureRuntime();
    const report = buildReport(longRunInput(ROOT), loadRuntime());
    expect(Buffer.byteLength(report.html)).toBeLessThan(5 * 1024 * 1024);
    const ids = report.charts.map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'latency-shoppers',
        'throughput-shoppers',
        'breakdown-shoppers',
        'cdf',
        'concurrency',
        'hit-ratio',
        'replicas',
        'waterfall',
      ]),
    );
    expect(report.html).toContain('crash app');
  });

  it('stacksim report DIR rebuilds the same page as run --report', async () => {
    ensureRuntime();
    const dir = tempDir();
    const args = ['run', fixture('faults.json'), '-q', '--duration', '5s', '--trace-requests', '6'];
    expect(
      (await stacksim([...args, '--out', `${dir}/out`, '--report', `${dir}/direct.html`])).code,
    ).toBe(0);
    expect(
      (await stacksim(['report', `${dir}/out`, '-o', `${dir}/again.html`, '--plots', `${dir}/svg`]))
        .code,
    ).toBe(0);
    expect(text(`${dir}/again.html`)).toBe(text(`${dir}/direct.html`));
    expect(text(`${dir}/svg/latency-users.svg`)).toMatch(/^<svg/);
  });
});
