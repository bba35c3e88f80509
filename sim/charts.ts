// Hand-written SVG charts (no dependencies): a line chart and a grouped bar chart with 95% CI whiskers.

export const COLORS: Record<string, string> = {
  static: '#9e9e9e',
  'round-robin': '#bcaaa4',
  'best-hindsight': '#8d6e63',
  'sr-v3': '#1f77b4',
  ours: '#d62728',
  oracle: '#2ca02c',
};

const W = 760;
const H = 380;
const M = { left: 64, right: 150, top: 40, bottom: 56 };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceTicks(min: number, max: number, count = 5): number[] {
  const span = max - min || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

function frame(title: string, xLabel: string, yLabel: string, yMin: number, yMax: number, body: string, legend: { name: string; color: string }[], xTicks: string): string {
  const plotH = H - M.top - M.bottom;
  const y = (v: number): number => M.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;
  const yTicks = niceTicks(yMin, yMax)
    .map(
      (v) =>
        `<line x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/><text x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`,
    )
    .join('');
  const legendSvg = legend
    .map(
      (item, i) => `<rect x="${W - M.right + 14}" y="${M.top + i * 20}" width="12" height="12" fill="${item.color}"/><text x="${W - M.right + 32}" y="${M.top + i * 20 + 10}">${esc(item.name)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>
${yTicks}
<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>
<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>
${xTicks}
${body}
<text x="${(M.left + W - M.right) / 2}" y="${H - 14}" text-anchor="middle">${esc(xLabel)}</text>
<text x="16" y="${M.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${M.top + plotH / 2})">${esc(yLabel)}</text>
${legendSvg}
</svg>
`;
}

export interface LineSeries {
  name: string;
  values: number[];
}

/** Lines over x = 0..1 of the run (values evenly spaced); NaN values leave gaps. */
export function lineChart(title: string, xLabel: string, yLabel: string, series: LineSeries[], shade?: [number, number][]): string {
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  let yMin = Math.min(...finite);
  let yMax = Math.max(...finite);
  const pad = (yMax - yMin) * 0.05 || 0.01;
  yMin -= pad;
  yMax += pad;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (f: number): number => M.left + f * plotW;
  const y = (v: number): number => M.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;
  const shades = (shade ?? []).map(([a, b]) => `<rect x="${x(a).toFixed(1)}" y="${M.top}" width="${(x(b) - x(a)).toFixed(1)}" height="${plotH}" fill="#fdecea"/>`).join('');
  const lines = series
    .map((s) => {
      let d = '';
      let pen = false;
      s.values.forEach((v, i) => {
        if (!Number.isFinite(v)) {
          pen = false;
          return;
        }
        const px = x((i + 1) / s.values.length).toFixed(1);
        d += `${pen ? 'L' : 'M'}${px},${y(v).toFixed(1)} `;
        pen = true;
      });
      return `<path d="${d.trim()}" fill="none" stroke="${COLORS[s.name] ?? '#000'}" stroke-width="${s.name === 'ours' ? 2.5 : 1.6}"/>`;
    })
    .join('\n');
  const xTicks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((f) => `<text x="${x(f).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${Math.round(f * 100)}%</text>`).join('');
  return frame(
    title,
    xLabel,
    yLabel,
    yMin,
    yMax,
    shades + lines,
    series.map((s) => ({ name: s.name, color: COLORS[s.name] ?? '#000' })),
    xTicks,
  );
}

export interface BarGroup {
  label: string;
  bars: { name: string; mean: number; half: number }[];
}

export function barChart(title: string, yLabel: string, groups: BarGroup[]): string {
  const all = groups.flatMap((g) => g.bars.map((b) => b.mean + (Number.isFinite(b.half) ? b.half : 0)));
  const yMin = 0;
  const yMax = Math.max(...all) * 1.08 || 1;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const y = (v: number): number => M.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;
  const groupW = plotW / groups.length;
  const names = groups[0]?.bars.map((b) => b.name) ?? [];
  const barW = (groupW * 0.8) / Math.max(1, names.length);
  let body = '';
  let xTicks = '';
  groups.forEach((group, gi) => {
    const gx = M.left + gi * groupW + groupW * 0.1;
    group.bars.forEach((bar, bi) => {
      const bx = gx + bi * barW;
      const top = y(Math.max(0, bar.mean));
      body += `<rect x="${bx.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(y(0) - top).toFixed(1)}" fill="${COLORS[bar.name] ?? '#000'}"/>`;
      if (Number.isFinite(bar.half)) {
        const cx = bx + barW / 2;
        body += `<line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y(bar.mean + bar.half).toFixed(1)}" y2="${y(Math.max(0, bar.mean - bar.half)).toFixed(1)}" stroke="#000"/>`;
      }
    });
    xTicks += `<text x="${(gx + groupW * 0.4).toFixed(1)}" y="${H - M.bottom + 14}" text-anchor="end" transform="rotate(-25 ${(gx + groupW * 0.4).toFixed(1)} ${H - M.bottom + 14})">${esc(group.label)}</text>`;
  });
  return frame(
    title,
    '',
    yLabel,
    yMin,
    yMax,
    body,
    names.map((name) => ({ name, color: COLORS[name] ?? '#000' })),
    xTicks,
  );
}
