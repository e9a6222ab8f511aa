/** A small dependency-free SVG line chart (categorical x axis, linear y axis from 0) for bench/results. */

export interface Series {
  name: string;
  /** One value per category; null leaves a gap. */
  values: Array<number | null>;
  dashed?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  categories: string[];
  series: Series[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function lineChart(c: ChartSpec, width = 720, height = 400): string {
  const m = { l: 70, r: 180, t: 40, b: 70 };
  const w = width - m.l - m.r;
  const h = height - m.t - m.b;
  const all = c.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const yMax = niceMax(Math.max(0, ...all) * 1.05);
  const n = c.categories.length;
  const x = (i: number): number => m.l + (n === 1 ? w / 2 : (i * w) / (n - 1));
  const y = (v: number): number => m.t + h - (v / yMax) * h;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(c.title)}</text>`);
  for (let k = 0; k <= 5; k++) {
    const v = (yMax * k) / 5;
    out.push(`<line x1="${m.l}" x2="${m.l + w}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${+v.toPrecision(4)}</text>`);
  }
  c.categories.forEach((cat, i) => {
    out.push(`<text x="${x(i)}" y="${m.t + h + 18}" text-anchor="middle">${esc(cat)}</text>`);
  });
  out.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + h}" stroke="#333"/>`);
  out.push(`<line x1="${m.l}" x2="${m.l + w}" y1="${m.t + h}" y2="${m.t + h}" stroke="#333"/>`);
  out.push(`<text x="${m.l + w / 2}" y="${height - 20}" text-anchor="middle">${esc(c.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${m.t + h / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`);
  c.series.forEach((s, si) => {
    const color = COLORS[si % COLORS.length]!;
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      d += `${d === '' ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      out.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${color}"/>`);
    });
    if (d !== '') out.push(`<path d="${d.trim()}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    const ly = m.t + 10 + si * 20;
    out.push(`<line x1="${m.l + w + 15}" x2="${m.l + w + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${m.l + w + 46}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
