/** Printable HTML pieces: escaping, the page shell with inline CSS, and bar charts as inline SVG. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML and SVG content and attribute values. */
export const escapeHtml = (value: string | number): string =>
  String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const STYLE = `
  @page { size: A4; margin: 15mm; }
  body { font-family: "PT Sans", "Segoe UI", Arial, sans-serif; font-size: 11pt; color: #1a1a1a; margin: 2em auto; max-width: 190mm; }
  h1 { font-size: 15pt; margin: 0 0 .3em; }
  h2 { font-size: 12.5pt; margin: 1.4em 0 .5em; }
  p.meta { color: #555; margin: 0 0 1em; }
  table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  th, td { border: 1px solid #bbb; padding: 3px 6px; vertical-align: top; }
  th { background: #eef1f5; text-align: left; font-weight: 600; }
  td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  tr.group td { font-weight: 600; background: #f7f7f7; }
  tr.l1 td:first-child { padding-left: 1.6em; }
  tr.l2 td:first-child { padding-left: 3em; }
  .up { color: #1b6e20; } .down { color: #b3261e; }
  figure { margin: 1em 0; page-break-inside: avoid; }
  figcaption { font-weight: 600; margin-bottom: .3em; }
  .legend span { display: inline-block; margin-right: 1.2em; }
  .swatch { display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: -.1em; }
  @media print { body { margin: 0; max-width: none; } }
`;

export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export interface BarChartSeries {
  label: string;
  color: string;
}

export interface BarChartItem {
  label: string;
  /** one value per series */
  values: readonly number[];
}

const COLOR = /^#[0-9a-f]{3,8}$/i;

/** Horizontal grouped bars (long Russian labels read best on the left); no script, no external assets. */
export function barChartSvg(
  caption: string,
  series: readonly BarChartSeries[],
  items: readonly BarChartItem[],
): string {
  const labelWidth = 270;
  const barArea = 330;
  const valueWidth = 60;
  const barHeight = 12;
  const groupGap = 10;
  const groupHeight = series.length * barHeight + groupGap;
  const width = labelWidth + barArea + valueWidth;
  const height = Math.max(1, items.length) * groupHeight + 4;
  const max = Math.max(1, ...items.flatMap((item) => item.values));
  const bars = items
    .map((item, i) => {
      const top = i * groupHeight + 2;
      const label = `<text x="${labelWidth - 8}" y="${top + (series.length * barHeight) / 2 + 4}" text-anchor="end" font-size="11">${escapeHtml(item.label)}</text>`;
      const rects = series
        .map((s, j) => {
          const value = item.values[j] ?? 0;
          const w = Math.round((value / max) * barArea * 10) / 10;
          const y = top + j * barHeight;
          const fill = COLOR.test(s.color) ? s.color : '#888';
          return `<rect x="${labelWidth}" y="${y}" width="${w}" height="${barHeight - 2}" fill="${fill}"><title>${escapeHtml(`${s.label}: ${value}`)}</title></rect><text x="${labelWidth + w + 4}" y="${y + barHeight - 3}" font-size="10">${escapeHtml(value)}</text>`;
        })
        .join('');
      return label + rects;
    })
    .join('\n');
  const legend = series
    .map(
      (s) =>
        `<span><i class="swatch" style="background:${COLOR.test(s.color) ? s.color : '#888'}"></i>${escapeHtml(s.label)}</span>`,
    )
    .join('');
  return `<figure>
<figcaption>${escapeHtml(caption)}</figcaption>
<div class="legend">${legend}</div>
<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(caption)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, sans-serif">
${bars}
</svg>
</figure>`;
}
