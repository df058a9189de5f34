/** The report's stylesheet (screen and print). */
export const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #dfe3ea; --accent: #1f5fbf; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 1180px; margin: 0 auto; padding: 20px 28px 40px; background: #fff; min-height: 100vh; }
header h1 { margin: 2px 0 6px; font-size: 26px; overflow-wrap: anywhere; }
.kicker { margin: 0; color: var(--muted); text-transform: uppercase; font-size: 11px; letter-spacing: .08em; }
.desc { margin: 0 0 10px; max-width: 80ch; color: #333; overflow-wrap: anywhere; }
.meta { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 8px 0 0; }
.meta div { display: flex; gap: 6px; } .meta dt { color: var(--muted); } .meta dd { margin: 0; font-weight: 600; }
nav { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line); padding: 8px 0; margin: 14px 0 4px; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav a { color: var(--accent); text-decoration: none; font-size: 13px; }
h2 { font-size: 18px; margin: 26px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.scroll { overflow-x: auto; }
table.summary { border-collapse: collapse; font-size: 12.5px; font-variant-numeric: tabular-nums; width: 100%; }
table.summary th, table.summary td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
table.summary th[scope=row], table.summary td:nth-child(2) { text-align: left; }
table.compare td:nth-child(2) { text-align: right; }
table.compare thead th { white-space: normal; vertical-align: bottom; }
table.summary[data-counters] { width: auto; min-width: 50%; }
table.summary .diff { color: #555; font-size: 11.5px; }
table.summary thead th { background: #f0f2f6; font-weight: 600; position: sticky; top: 0; white-space: normal; vertical-align: bottom; }
table.summary td .ci { display: block; }
table.summary th[scope=row] { white-space: normal; overflow-wrap: anywhere; }
dl.headline { display: grid; grid-template-columns: minmax(0, max-content) 1fr; gap: 2px 18px; margin: 6px 0 14px; }
dl.headline dt { color: var(--muted); } dl.headline dd { margin: 0; font-weight: 600; }
td.warn { color: #b45f06; } td.bad { color: #b01c1c; } .ci { color: var(--muted); font-size: 11px; }
figure.chart { margin: 0 0 18px; padding: 10px 12px 6px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; overflow-wrap: anywhere; }
figure.chart .view svg { max-width: 100%; height: auto; display: block; }
.note { color: var(--muted); font-size: 12px; margin: 4px 0 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 0 16px; }
svg.stack { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg.stack rect { fill: #eef3fb; stroke: #6a8cc7; stroke-width: 1.2; }
svg.stack .client rect { fill: #f3eefb; stroke: #8a6ac7; }
svg.stack .database rect, svg.stack .kv rect { fill: #fbf3ea; stroke: #c79a6a; }
svg.stack .cache rect, svg.stack .http rect { fill: #eefbf1; stroke: #6ac78a; }
svg.stack .dns rect { fill: #f4f4f4; stroke: #999; }
svg.stack text.id { font-weight: 600; } svg.stack text.type { fill: var(--muted); font-size: 11px; }
svg.stack text.link { fill: var(--muted); font-size: 10px; }
svg.stack path.edge { fill: none; stroke: #6b7487; stroke-width: 1.4; }
svg.stack path.edge.ref { stroke-dasharray: 4 3; }
svg.stack marker path { fill: #6b7487; }
footer { margin-top: 30px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 10px; }
@media print {
  body { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  figure.chart, table.summary tr, svg.stack { break-inside: avoid; page-break-inside: avoid; }
  figure.chart { border: none; padding: 0; }
  .grid { display: block; }
  h2 { break-after: avoid; }
  .scroll { overflow: visible; }
  @page { size: A4 landscape; margin: 12mm; }
}
`;
