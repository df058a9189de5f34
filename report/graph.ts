import type { ComponentKind } from '../models/core/component.ts';
import type { Scenario } from '../models/scenario/format.ts';
import { escapeHtml } from './escape.ts';
import type { FaultMark, StackEdge, StackGraph, StackNode } from './types.ts';

const groupOf = (id: string) => id.replace(/\[\d+\]$/, '');
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function fmtMicros(us: number): string {
  if (us >= 1e6) return `${Number((us / 1e6).toPrecision(3))}s`;
  if (us >= 1e3) return `${Number((us / 1e3).toPrecision(3))}ms`;
  return `${us}us`;
}

/** The stack graph of a validated scenario: components, references (via the kinds), links. */
export function stackGraph(scenario: Scenario, kinds: readonly ComponentKind[]): StackGraph {
  const nodes: StackNode[] = [];
  const edges: StackEdge[] = [];
  const seen = new Set<string>();
  for (const [id, raw] of Object.entries(scenario.components)) {
    const config = raw as { type: string; replicas?: number };
    nodes.push({ id, type: config.type, replicas: config.replicas ?? 1 });
    const kind = kinds.find((k) => k.type === config.type);
    for (const ref of kind?.references(config) ?? []) {
      const to = groupOf(ref.id);
      const key = `${id}\u0000${to}`;
      if (seen.has(key) || to === id) continue;
      seen.add(key);
      edges.push({ from: id, to, carriesRequests: ref.carriesRequests });
    }
  }
  const links = (scenario.links as readonly { between: [string, string]; latency?: unknown }[]).map(
    (l) => ({
      between: [l.between[0], l.between[1]] as const,
      label: typeof l.latency === 'number' ? fmtMicros(l.latency) : 'link',
    }),
  );
  return { nodes, edges, links };
}

const END_VERB: Readonly<Record<string, string>> = { crash: 'restart', partition: 'heal' };

/** Timeline events as marks on time axes; timeline times count from the end of warm-up. */
export function faultMarks(scenario: Scenario): FaultMark[] {
  const warmup = scenario.run.warmup;
  return scenario.timeline.map((e) => {
    const t = (warmup + e.at) / 1e6;
    const axisEnd = (warmup + scenario.run.duration) / 1e6;
    const what = 'target' in e ? e.target : e.between.join('↔');
    const detail = 'factor' in e ? ` ×${e.factor}` : '';
    const label = `${e.action} ${what}${detail}`;
    if (e.for === undefined) return { t, label, axisEnd };
    const endLabel =
      END_VERB[e.action] === undefined ? `end ${label}` : `${END_VERB[e.action]} ${what}`;
    return { t, end: t + e.for / 1e6, label, endLabel, axisEnd };
  });
}

/** Layer of every node: 0 for components nothing references (clients), then +1 per reference hop. */
export function layers(graph: StackGraph): Map<string, number> {
  const targets = new Set(graph.edges.map((e) => e.to));
  const layer = new Map<string, number>();
  const roots = graph.nodes.filter((n) => !targets.has(n.id)).map((n) => n.id);
  let frontier = roots.length > 0 ? roots : graph.nodes.slice(0, 1).map((n) => n.id);
  for (const id of frontier) layer.set(id, 0);
  for (let depth = 1; frontier.length > 0 && depth <= graph.nodes.length; depth++) {
    const next: string[] = [];
    for (const e of graph.edges) {
      if (frontier.includes(e.from) && !layer.has(e.to)) {
        layer.set(e.to, depth);
        next.push(e.to);
      }
    }
    frontier = next;
  }
  for (const n of graph.nodes) if (!layer.has(n.id)) layer.set(n.id, 0);
  return layer;
}

const BOX_W = 168;
const BOX_H = 46;
const COL_GAP = 70;
const ROW_GAP = 18;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The stack diagram as an inline SVG: columns by layer, request edges solid, others dashed. */
export function stackSvg(graph: StackGraph): string {
  const layer = layers(graph);
  const columns: string[][] = [];
  for (const n of graph.nodes) {
    const l = layer.get(n.id)!;
    const column = columns[l] ?? [];
    column.push(n.id);
    columns[l] = column;
  }
  for (const c of columns) c?.sort(byCodeUnit);
  const rows = Math.max(1, ...columns.map((c) => c?.length ?? 0));
  const height = rows * (BOX_H + ROW_GAP) + ROW_GAP;
  const width = columns.length * (BOX_W + COL_GAP) - COL_GAP + 20;
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((c, i) => {
    const offset = ((rows - (c?.length ?? 0)) * (BOX_H + ROW_GAP)) / 2;
    c?.forEach((id, j) => {
      pos.set(id, { x: 10 + i * (BOX_W + COL_GAP), y: ROW_GAP + offset + j * (BOX_H + ROW_GAP) });
    });
  });
  const linkLabel = (a: string, b: string) =>
    graph.links.find(
      (l) =>
        (l.between[0] === a && l.between[1] === b) || (l.between[0] === b && l.between[1] === a),
    )?.label;
  const parts: string[] = [];
  for (const e of graph.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (a === undefined || b === undefined) continue;
    const forward = b.x > a.x;
    const x1 = forward ? a.x + BOX_W : a.x + BOX_W / 2;
    const y1 = forward ? a.y + BOX_H / 2 : a.y + BOX_H;
    const x2 = forward ? b.x : b.x + BOX_W / 2;
    const y2 = forward ? b.y + BOX_H / 2 : b.y;
    const mx = (x1 + x2) / 2;
    const d = forward
      ? `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}`
      : `M${x1},${y1} C${x1},${y1 + 30} ${x2},${y2 - 30} ${x2},${y2 - 2}`;
    const cls = e.carriesRequests ? 'edge' : 'edge ref';
    parts.push(
      `<path class="${cls}" d="${d}" marker-end="url(#arrow)"><title>${escapeHtml(`${e.from} → ${e.to}`)}</title></path>`,
    );
    const label = linkLabel(e.from, e.to);
    if (label !== undefined)
      parts.push(
        `<text class="link" x="${mx}" y="${(y1 + y2) / 2 - 4}" text-anchor="middle">${escapeHtml(label)}</text>`,
      );
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.id)!;
    const family = n.type.split(/[.-]/)[0] ?? n.type;
    const sub = n.replicas > 1 ? `${n.type} ×${n.replicas}` : n.type;
    parts.push(
      `<g class="node ${escapeHtml(family)}" data-component="${escapeHtml(n.id)}"><title>${escapeHtml(`${n.id} (${sub})`)}</title>` +
        `<rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="6"/>` +
        `<text class="id" x="${p.x + 10}" y="${p.y + 19}">${escapeHtml(clip(n.id, 20))}</text>` +
        `<text class="type" x="${p.x + 10}" y="${p.y + 36}">${escapeHtml(clip(sub, 24))}</text></g>`,
    );
  }
  return (
    `<svg class="stack" role="img" aria-label="stack diagram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>' +
    `${parts.join('')}</svg>`
  );
}
