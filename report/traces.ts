import type { KeptTrace, TraceSpan } from '../models/core/trace-collector.ts';
import { type ChartDef, WIDTH } from './chart.ts';
import { r4 } from './series.ts';

const nameOf = (r: KeptTrace) => `${r.method} ${r.route}`;
const where = (r: KeptTrace, s: TraceSpan) => (s.component === '' ? r.client : s.component);
/** Spans worth drawing: non-empty, in start order (longer first at equal starts, so they nest). */
function spansOf(r: KeptTrace): TraceSpan[] {
  return r.spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Chrome trace event format (Perfetto, chrome://tracing): one thread row per request, µs. */
export function chromeTrace(requests: readonly KeptTrace[], scenario: string): unknown {
  const events: unknown[] = [
    { name: 'process_name', ph: 'M', pid: 1, tid: 0, args: { name: `stacksim ${scenario}` } },
  ];
  requests.forEach((r, i) => {
    const tid = i + 1;
    const ms = (r.end - r.start) / 1000;
    events.push({
      name: 'thread_name',
      ph: 'M',
      pid: 1,
      tid,
      args: { name: `${r.kept} #${i + 1} ${nameOf(r)} ${r.status} ${ms.toFixed(1)}ms` },
    });
    events.push({
      name: nameOf(r),
      cat: 'request',
      ph: 'X',
      pid: 1,
      tid,
      ts: r.start,
      dur: r.end - r.start,
      args: {
        id: r.id,
        client: r.client,
        class: r.className,
        status: r.status,
        reason: r.reason,
        attempts: r.attempts,
        kept: r.kept,
      },
    });
    for (const s of spansOf(r)) {
      events.push({
        name: `${s.phase} · ${where(r, s)}`,
        cat: s.phase,
        ph: 'X',
        pid: 1,
        tid,
        ts: s.start,
        dur: s.end - s.start,
        args: { component: where(r, s) },
      });
    }
  });
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: { scenario, clock: 'simulated µs' },
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);
const nanos = (us: number) => String(Math.round(us) * 1000);
const attr = (key: string, v: string | number) =>
  typeof v === 'number'
    ? { key, value: Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v } }
    : { key, value: { stringValue: v } };

/** OpenTelemetry-style JSON (OTLP/JSON resourceSpans): one trace per request, simulated clock from 0. */
export function otelTrace(requests: readonly KeptTrace[], scenario: string): unknown {
  const spans: unknown[] = [];
  for (const r of requests) {
    const traceId = hex(r.id, 32);
    const rootId = hex(r.id * 256, 16);
    spans.push({
      traceId,
      spanId: rootId,
      name: nameOf(r),
      kind: 3,
      startTimeUnixNano: nanos(r.start),
      endTimeUnixNano: nanos(r.end),
      attributes: [
        attr('http.request.method', r.method),
        attr('http.route', r.route),
        attr('http.response.status_code', r.status),
        attr('stacksim.client', r.client),
        attr('stacksim.class', r.className),
        attr('stacksim.reason', r.reason),
        attr('stacksim.attempts', r.attempts),
        attr('stacksim.kept', r.kept),
      ],
      status: { code: r.status >= 500 || r.status === 0 ? 2 : 1 },
    });
    const drawn = spansOf(r);
    drawn.forEach((s, i) => {
      const id = hex(r.id * 256 + i + 1, 16);
      const attempt = drawn.findIndex(
        (a) => a.phase === 'attempt' && a !== s && a.start <= s.start && a.end >= s.end,
      );
      spans.push({
        traceId,
        spanId: id,
        parentSpanId:
          s.component !== '' && attempt >= 0 ? hex(r.id * 256 + attempt + 1, 16) : rootId,
        name: `${s.phase} ${where(r, s)}`,
        kind: s.component === '' ? 3 : 2,
        startTimeUnixNano: nanos(s.start),
        endTimeUnixNano: nanos(s.end),
        attributes: [attr('stacksim.phase', s.phase), attr('stacksim.component', where(r, s))],
      });
    });
  }
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [attr('service.name', 'stacksim'), attr('stacksim.scenario', scenario)],
        },
        scopeSpans: [{ scope: { name: 'stacksim', version: '1' }, spans }],
      },
    ],
  };
}

/**
 * The time inside an attempt that no recorded phase covers: the request and response crossing
 * the links (the client charges it to 'network' in its breakdown), as spans of phase 'network'.
 */
export function networkGaps(spans: readonly TraceSpan[]): TraceSpan[] {
  const phases = spans.filter((s) => s.phase !== 'attempt');
  const out: TraceSpan[] = [];
  for (const a of spans) {
    if (a.phase !== 'attempt') continue;
    const inside = phases
      .filter((s) => s.end > a.start && s.start < a.end)
      .sort((x, y) => x.start - y.start);
    let at = a.start;
    for (const s of inside) {
      if (s.start > at) out.push({ component: '', phase: 'network', start: at, end: s.start });
      at = Math.max(at, s.end);
    }
    if (a.end > at) out.push({ component: '', phase: 'network', start: at, end: a.end });
  }
  return out;
}

/** Waterfall of the slowest traced requests: one row each, spans coloured by phase. */
export function waterfallChart(requests: readonly KeptTrace[], max = 15): ChartDef | undefined {
  const slow = requests.filter((r) => r.kept === 'slowest').slice(0, max);
  const shown = slow.length > 0 ? slow : requests.slice(0, max);
  if (shown.length === 0) return undefined;
  const rows: Record<string, unknown>[] = [];
  const phases = new Set<string>();
  shown.forEach((r, i) => {
    const label = `${i + 1}. ${nameOf(r)} → ${r.status === 0 ? r.reason : r.status} (${r4((r.end - r.start) / 1000)} ms)`;
    rows.push({
      row: label,
      layer: 'request',
      phase: 'request',
      at: r.client,
      from: 0,
      to: r4((r.end - r.start) / 1000),
    });
    const spans = spansOf(r);
    for (const s of [...spans, ...networkGaps(spans)]) {
      const layer = s.phase === 'attempt' ? 'attempt' : 'phase';
      if (layer === 'phase') phases.add(s.phase);
      rows.push({
        row: label,
        layer,
        phase: s.phase,
        at: where(r, s),
        from: r4((s.start - r.start) / 1000),
        to: r4((s.end - r.start) / 1000),
      });
    }
  });
  const bar = (layer: string, size: number, extra: Record<string, unknown>) => ({
    transform: [{ filter: `datum.layer === '${layer}'` }],
    mark: { type: 'bar', size, ...extra },
    encoding: {
      y: { field: 'row', type: 'nominal', sort: null, title: null, axis: { labelLimit: 360 } },
      x: { field: 'from', type: 'quantitative', title: 'ms since the request was intended' },
      x2: { field: 'to' },
      tooltip: [
        { field: 'phase' },
        { field: 'at', title: 'component' },
        { field: 'from' },
        { field: 'to' },
      ],
      ...(layer === 'phase' ? { color: { field: 'phase', type: 'nominal', title: 'phase' } } : {}),
    },
  });
  return {
    id: 'waterfall',
    title: 'Slowest traced requests',
    note: 'Grey: the whole request; light blue: each attempt from the client’s point of view; coloured: phases the stack and the client recorded, and "network": time in an attempt no component recorded (the request and response on the links).',
    series: [...phases],
    spec: {
      width: WIDTH - 380,
      height: { step: 22 },
      data: { values: rows },
      layer: [
        bar('request', 4, { color: '#999' }),
        bar('attempt', 16, { color: '#9ecae1', opacity: 0.5 }),
        bar('phase', 10, {}),
      ],
    },
  };
}
