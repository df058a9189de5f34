import { escapeHtml } from './escape.ts';

/** One line of a miss-ratio chart: its name and (x, y) points, x ascending. */
export interface CurveSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#e45756',
  '#72b7b2',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
  '#eeca3b',
  '#222222',
  '#8c6d31',
];

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

/**
 * A small self-contained SVG of miss-ratio curves: x = cache size (log scale when it spans more
 * than a factor of 20), y = miss ratio from 0 to the largest value, one coloured line with point
 * markers per series and a legend. Deterministic text: same series ⇒ same bytes.
 */
export function curveSvg(series: readonly CurveSeries[], xTitle: string, title: string): string {
  const W = 720;
  const H = 420;
  const left = 64;
  const right = 190;
  const top = 40;
  const bottom = 56;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xmin = Math.min(...xs);
  const xmax = Math.max(...xs, xmin * 1.0001);
  const ymax = Math.min(1, Math.ceil(Math.max(...ys, 0.01) * 10) / 10);
  const log = xmin > 0 && xmax / xmin > 20;
  const fx = (x: number) => {
    const t = log
      ? (Math.log(x) - Math.log(xmin)) / (Math.log(xmax) - Math.log(xmin))
      : (x - xmin) / (xmax - xmin || 1);
    return left + t * (W - left - right);
  };
  const fy = (y: number) => top + (1 - y / ymax) * (H - top - bottom);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(
    `<text x="${left}" y="22" font-size="14" font-weight="bold">${escapeHtml(title)}</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const y = (ymax * i) / 5;
    out.push(
      `<line x1="${left}" x2="${W - right}" y1="${fy(y).toFixed(1)}" y2="${fy(y).toFixed(1)}" stroke="#ddd"/>`,
    );
    out.push(
      `<text x="${left - 6}" y="${(fy(y) + 4).toFixed(1)}" text-anchor="end">${fmt(y)}</text>`,
    );
  }
  const ticks = [...new Set(xs)].sort((a, b) => a - b);
  for (const x of ticks) {
    out.push(
      `<line x1="${fx(x).toFixed(1)}" x2="${fx(x).toFixed(1)}" y1="${H - bottom}" y2="${H - bottom + 4}" stroke="#555"/>`,
    );
    out.push(
      `<text x="${fx(x).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle">${fmt(x)}</text>`,
    );
  }
  out.push(
    `<line x1="${left}" x2="${W - right}" y1="${H - bottom}" y2="${H - bottom}" stroke="#555"/>`,
  );
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${H - bottom}" stroke="#555"/>`);
  out.push(
    `<text x="${(left + W - right) / 2}" y="${H - 14}" text-anchor="middle">${escapeHtml(xTitle)}${log ? ' (log scale)' : ''}</text>`,
  );
  out.push(
    `<text transform="translate(16 ${(top + H - bottom) / 2}) rotate(-90)" text-anchor="middle">miss ratio</text>`,
  );
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const d = s.points
      .map((p, j) => `${j === 0 ? 'M' : 'L'}${fx(p[0]).toFixed(1)},${fy(p[1]).toFixed(1)}`)
      .join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"/>`);
    for (const p of s.points)
      out.push(
        `<circle cx="${fx(p[0]).toFixed(1)}" cy="${fy(p[1]).toFixed(1)}" r="2.6" fill="${color}"/>`,
      );
    const ly = top + 8 + i * 18;
    out.push(
      `<line x1="${W - right + 14}" x2="${W - right + 34}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${W - right + 40}" y="${ly + 4}">${escapeHtml(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/**
 * A self-contained HTML page for `cache-curve -o DIR`: the SVG chart and the CSV as a table
 * (no scripts, opens offline). Deterministic: same inputs ⇒ same bytes.
 */
export function curveHtml(title: string, svg: string, csv: string): string {
  const [header, ...rows] = csv.trim().split('\n');
  const cells = (line: string, tag: string) =>
    line
      .split(',')
      .map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`)
      .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#f3f3f3}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
${svg}
<table><thead><tr>${cells(header ?? '', 'th')}</tr></thead><tbody>
${rows.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('\n')}
</tbody></table>
</body></html>
`;
}
