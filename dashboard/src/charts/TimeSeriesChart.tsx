// A React wrapper around uPlot for time series. uPlot is loaded on demand (its own chunk), the
// chart follows its container's width, and data updates redraw without rebuilding the chart.
import { useEffect, useRef, useState } from 'react';
import type uPlotType from 'uplot';
import type { ChartSeries } from './series.ts';
import { colorAt } from './series.ts';
import { resolveColor, useColorScheme } from './theme.ts';
import './charts.css';
import { activeZone, useZoneChoice } from '../format/datetime.ts';

interface TimeSeriesChartProps {
  /** Accessible name of the chart (also its caption). */
  title: string;
  /** Unix seconds, ascending. */
  x: readonly number[];
  series: readonly ChartSeries[];
  height?: number;
  /** Formats y values in the axis and the legend, e.g. `(v) => v + '%'`. */
  format?: (value: number) => string;
  /** Fixed y range, e.g. [0, 100] for percentages. */
  yRange?: [number, number];
  /** Draw series as stepped lines (counts per bucket). */
  stepped?: boolean;
  /** Text shown instead of the chart when there is nothing to draw. */
  emptyText?: string;
}

let loader: Promise<typeof uPlotType> | null = null;
function loadUPlot(): Promise<typeof uPlotType> {
  loader ??= import('./uplot-loader.ts').then((m) => m.default);
  return loader;
}

/** Canvas drawing needs a real browser; jsdom (component tests) has no canvas. */
function canDraw(): boolean {
  return typeof window !== 'undefined' && typeof navigator !== 'undefined' && !/jsdom/i.test(navigator.userAgent);
}

// The pages with charts are fetched in the background after sign-in (App.tsx); uPlot follows them
// here, so opening such a page does not wait for the chart library (nor compete with its data).
if (canDraw()) {
  setTimeout(() => {
    loadUPlot().catch(() => {
      loader = null; // tried again when a chart is drawn
    });
  }, 1000);
}

export function TimeSeriesChart({ title, x, series, height = 220, format, yRange, stepped = false, emptyText = 'No data in this range.' }: TimeSeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlotType | null>(null);
  const data = useRef<uPlotType.AlignedData>([[]]);
  const [failed, setFailed] = useState(false);
  data.current = [x as number[], ...series.map((s) => s.values as (number | null)[])] as uPlotType.AlignedData;

  // The chart is rebuilt when its shape (series, height, range) changes; data alone only redraws.
  // Times on the axis and in the legend are in the dashboard's chosen zone (merchant / UTC / browser).
  useZoneChoice();
  const zone = activeZone();
  // Colours are read from the stylesheet when the chart is built: a switch to dark mode rebuilds it.
  const scheme = useColorScheme();
  const shape = JSON.stringify([series.map((s) => [s.label, s.color]), height, yRange, stepped, zone, scheme]);
  const formatRef = useRef(format);
  formatRef.current = format;
  const empty = x.length === 0 || series.length === 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the plot is rebuilt only when its shape changes or it becomes (non-)empty; new data goes in through setData below
  useEffect(() => {
    if (empty || !canDraw()) return;
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    loadUPlot()
      .then((UPlot) => {
        const el = container.current;
        if (cancelled || !el) return;
        const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatRef.current ? formatRef.current(v) : String(Math.round(v * 100) / 100));
        const color = (c: string) => resolveColor(c, el);
        const axis = { stroke: color('var(--chart-axis)'), grid: { stroke: color('var(--chart-grid)'), width: 1 }, ticks: { stroke: color('var(--chart-grid)'), width: 1 } };
        const paths = stepped ? UPlot.paths.stepped?.({ align: 1 }) : undefined;
        const opts: uPlotType.Options = {
          width: Math.max(200, el.clientWidth || 600),
          height,
          series: [
            {},
            ...series.map((s, i) => ({
              label: s.label,
              stroke: color(s.color ?? colorAt(i)),
              width: 2,
              spanGaps: false,
              // Points only where the line is sparse (uPlot's density rule), so a lone bucket still shows.
              value: (_u: uPlotType, v: number | null) => fmt(v),
              ...(paths ? { paths } : {}),
            })),
          ],
          tzDate: (ts: number) => UPlot.tzDate(new Date(ts * 1e3), zone),
          scales: { x: { time: true }, y: yRange ? { range: yRange } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
          axes: [{ ...axis }, { ...axis, values: (_u, ticks) => ticks.map((t) => fmt(t)), size: 72 }],
          legend: { live: true },
          cursor: { drag: { x: false, y: false } },
        };
        plot.current = new UPlot(opts, data.current, el);
        if (typeof ResizeObserver !== 'undefined') {
          observer = new ResizeObserver(() => {
            const w = el.clientWidth;
            if (plot.current && w > 0 && Math.abs(w - plot.current.width) > 1) plot.current.setSize({ width: w, height });
          });
          observer.observe(el);
        }
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, empty]);

  useEffect(() => {
    plot.current?.setData(data.current);
  });

  if (empty) return <p className="empty">{emptyText}</p>;
  return (
    <figure className="ts-chart" aria-label={title}>
      {failed ? <p className="muted">The chart could not be drawn.</p> : null}
      <div ref={container} className="ts-chart-canvas" style={{ minHeight: height }} />
      <figcaption className="muted small ts-chart-zone">Times in {zone}</figcaption>
    </figure>
  );
}
