/** Line and area series on one time axis (TradingView's lightweight-charts, canvas): equity against
 * buy and hold, drawdown, several runs overlaid. Import it only from pages (it pulls in the library):
 * a lazy page keeps it out of the first load.
 *
 * A curve longer than twice the chart's width in pixels (per series) is drawn from its lowest and
 * highest point in each pixel column (`decimate`): the same picture from a fraction of the points,
 * and every point the crosshair shows is a real one with its exact value. The time from receiving
 * data to the first frame painted is written to `data-draw-ms` on the chart's element (what
 * `make bench` and the browser tests read; another chart set up in the same commit, such as the
 * drawdown under the equity, is inside that time), `data-points` holds how many points the curves
 * have and `data-drawn-points` how many were handed to the canvas. Colours follow the light/dark scheme,
 * dates the page's language; a legend in HTML names each series (a canvas says nothing to a screen
 * reader), and the figure's label says what it shows. */
import { useComputedColorScheme } from "@mantine/core";
import { AreaSeries, createChart, type IChartApi, type ISeriesApi, LineSeries, type UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { chartOptions } from "./CandleChart";

export interface Point {
  /** Epoch seconds (UTC). */
  time: number;
  value: number;
}

export interface LineSeriesSpec {
  id: string;
  /** The series' name in the legend (translated by the caller). */
  label: string;
  points: Point[];
  /** A palette slot (0..5) or "drawdown"/"benchmark"; colours differ by scheme. */
  tone: number | "drawdown" | "benchmark";
  kind?: "line" | "area";
  /** Dashed line (a benchmark). */
  dashed?: boolean;
}

export interface LineChartProps {
  series: LineSeriesSpec[];
  /** The chart's accessible name (what it shows). */
  label: string;
  height?: number;
  /** Digits after the decimal point on the price scale. */
  precision?: number;
  testId?: string;
}

type Scheme = "light" | "dark";

export const LINE_COLORS: Record<Scheme, { palette: string[]; drawdown: string; drawdownFill: string; benchmark: string }> = {
  light: {
    palette: ["#1c7ed6", "#e8590c", "#2f9e44", "#ae3ec9", "#c2255c", "#0c8599"],
    drawdown: "#e03131",
    drawdownFill: "rgba(224, 49, 49, 0.18)",
    benchmark: "#868e96",
  },
  dark: {
    palette: ["#4dabf7", "#ffa94d", "#69db7c", "#da77f2", "#f783ac", "#3bc9db"],
    drawdown: "#ff6b6b",
    drawdownFill: "rgba(255, 107, 107, 0.22)",
    benchmark: "#adb5bd",
  },
};

export function toneColor(scheme: Scheme, tone: LineSeriesSpec["tone"]): string {
  const colors = LINE_COLORS[scheme];
  if (tone === "drawdown") return colors.drawdown;
  if (tone === "benchmark") return colors.benchmark;
  return colors.palette[tone % colors.palette.length];
}

/** Points sorted by time with one point per time (the library needs strictly increasing times) and
 * no non-finite value. */
export function cleanPoints(points: Point[]): { time: UTCTimestamp; value: number }[] {
  const out: { time: UTCTimestamp; value: number }[] = [];
  for (const point of points) {
    if (!Number.isFinite(point.value) || !Number.isFinite(point.time)) continue;
    const last = out[out.length - 1];
    if (last && point.time <= last.time) {
      if (point.time === last.time) last.value = point.value;
      continue;
    }
    out.push({ time: point.time as UTCTimestamp, value: point.value });
  }
  return out;
}

type Clean = ReturnType<typeof cleanPoints>;

/** The times to draw when the curves have more than `2 × curves` points per pixel column: in each of
 * `columns` equal runs of the merged times, the times of every curve's lowest and highest point,
 * topped up with evenly spaced times to the same count per run (the library spaces points evenly,
 * so every column keeps its width). `null`: few enough points to draw them all. */
export function decimate(curves: Clean[], columns: number): Set<number> | null {
  const slots = 2 * curves.length;
  const times = [...new Set(curves.flatMap((curve) => curve.map((point) => point.time as number)))].sort((a, b) => a - b);
  if (columns < 1 || times.length <= slots * columns) return null;
  const values = curves.map((curve) => new Map(curve.map((point) => [point.time as number, point.value])));
  const kept = new Set<number>();
  const per = times.length / columns;
  for (let column = 0; column < columns; column++) {
    const start = Math.floor(column * per);
    const end = Math.floor((column + 1) * per);
    const picks = new Set<number>();
    for (const byTime of values) {
      let low = -1;
      let high = -1;
      for (let i = start; i < end; i++) {
        const value = byTime.get(times[i]);
        if (value === undefined) continue;
        if (low < 0 || value < byTime.get(times[low])!) low = i;
        if (high < 0 || value > byTime.get(times[high])!) high = i;
      }
      if (low >= 0) picks.add(low).add(high);
    }
    // a run has at least `slots` times (per > slots), so these fill it to `slots`
    for (let k = 0; k < slots && picks.size < slots; k++) picks.add(start + Math.floor((k * (end - start)) / slots));
    for (const i of picks) kept.add(times[i]);
  }
  kept.add(times[times.length - 1]);
  return kept;
}

/** ISO times (the API's curves) as epoch seconds. */
export function epochSeconds(times: string[]): number[] {
  return times.map((time) => Math.floor(Date.parse(time) / 1000));
}

function seriesOptions(scheme: Scheme, spec: LineSeriesSpec, precision: number) {
  const color = toneColor(scheme, spec.tone);
  const common = {
    lineWidth: 2 as const,
    priceLineVisible: false,
    lastValueVisible: true,
    priceFormat: { type: "price" as const, precision, minMove: 10 ** -precision },
  };
  if (spec.kind === "area") {
    const fill = spec.tone === "drawdown" ? LINE_COLORS[scheme].drawdownFill : `${color}33`;
    return { ...common, lineColor: color, topColor: fill, bottomColor: fill, invertFilledArea: spec.tone === "drawdown" };
  }
  return { ...common, color, lineStyle: spec.dashed ? 2 : 0 };
}

export function LineChart({ series, label, height = 320, precision = 2, testId = "line-chart" }: LineChartProps) {
  const scheme = useComputedColorScheme("light");
  const { i18n } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const drawn = useRef<Map<string, ISeriesApi<"Line"> | ISeriesApi<"Area">>>(new Map());

  useEffect(() => {
    if (!container.current) return;
    const element = container.current;
    const api = createChart(element, { autoSize: true, localization: { locale: i18n.language } });
    chart.current = api;
    const made = drawn.current;
    // autoSize learns the width after the first layout: fit the whole range again once it is known
    // (and when the width changes: a phone rotated, the navigation opened).
    let width = 0;
    const resized =
      typeof ResizeObserver === "undefined"
        ? null
        : new ResizeObserver((entries) => {
            const next = Math.round(entries[0]?.contentRect.width ?? 0);
            if (next && next !== width) {
              width = next;
              requestAnimationFrame(() => chart.current?.timeScale().fitContent());
            }
          });
    resized?.observe(element);
    return () => {
      resized?.disconnect();
      chart.current = null;
      made.clear();
      api.remove();
    };
    // The locale and the series are applied by the effects below: one chart per mounted component.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    // prices on the axis in the page's language too ("20 000,00" in French)
    const format = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: precision, maximumFractionDigits: precision });
    chart.current?.applyOptions({ localization: { locale: i18n.language, priceFormatter: (value: number) => format.format(value) } });
  }, [i18n.language, precision]);

  useEffect(() => {
    chart.current?.applyOptions(chartOptions(scheme)); // its minBarSpacing fits a long curve to the width
  }, [scheme]);

  useEffect(() => {
    const api = chart.current;
    const element = container.current;
    if (!api || !element) return;
    const began = performance.now();
    for (const existing of drawn.current.values()) api.removeSeries(existing);
    drawn.current.clear();
    const curves = series.map((spec) => cleanPoints(spec.points));
    const kept = decimate(curves, Math.round(element.clientWidth));
    let points = 0;
    let drawnPoints = 0;
    series.forEach((spec, index) => {
      const options = seriesOptions(scheme, spec, precision);
      const made = spec.kind === "area" ? api.addSeries(AreaSeries, options) : api.addSeries(LineSeries, options);
      const data = kept ? curves[index].filter((point) => kept.has(point.time)) : curves[index];
      made.setData(data);
      points += curves[index].length;
      drawnPoints += data.length;
      drawn.current.set(spec.id, made);
    });
    api.timeScale().fitContent();
    element.dataset.points = String(points);
    element.dataset.drawnPoints = String(drawnPoints);
    delete element.dataset.drawMs;
    const frame = requestAnimationFrame(() => {
      element.dataset.drawMs = (performance.now() - began).toFixed(1);
      api.timeScale().fitContent();
    });
    return () => cancelAnimationFrame(frame);
  }, [series, scheme, precision]);

  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      <div ref={container} data-testid={testId} style={{ width: "100%", height, position: "relative" }} />
      <figcaption
        style={{
          display: "flex",
          flexWrap: "wrap",
          gap: "var(--mantine-spacing-xs) var(--mantine-spacing-md)",
          marginTop: 6,
          fontSize: "var(--mantine-font-size-xs)",
        }}
      >
        {series.map((spec) => (
          <span key={spec.id} style={{ display: "inline-flex", alignItems: "center", gap: 6, minWidth: 0 }}>
            <span
              aria-hidden
              style={{
                display: "inline-block",
                width: 16,
                height: 0,
                borderTop: `${spec.dashed ? "2px dashed" : "3px solid"} ${toneColor(scheme, spec.tone)}`,
                flex: "none",
              }}
            />
            <span style={{ overflowWrap: "anywhere" }}>{spec.label}</span>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export default LineChart;
