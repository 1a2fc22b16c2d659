/** A candlestick chart with optional volume and markers (TradingView's lightweight-charts, canvas).
 *
 * Import it only from pages (it pulls in lightweight-charts, ~50 KB gzipped): a lazy page keeps it out
 * of the first load. Times are epoch seconds (UTC), as the API's candles (`t`) and trades carry them.
 * Markers need not fall on a bar: each one is drawn on the bar that holds its time (the last bar
 * starting at or before it), so trade entries/exits land on downsampled candles too. Colours follow
 * the light/dark scheme; dates on the time axis follow the page's language. */
import { useComputedColorScheme } from "@mantine/core";
import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  CrosshairMode,
  HistogramSeries,
  type DeepPartial,
  type ChartOptions,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

export interface Candle {
  /** Epoch seconds (UTC) of the bar's start. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface VolumeBar {
  time: number;
  value: number;
}

export interface ChartMarker {
  time: number;
  position: "aboveBar" | "belowBar" | "inBar";
  color: string;
  shape: "arrowUp" | "arrowDown" | "circle" | "square";
  text?: string;
}

export interface CandleChartProps {
  candles: Candle[];
  /** Volume per bar, drawn as a histogram under the candles (coloured like its candle). */
  volume?: VolumeBar[];
  /** Trade entries/exits and other events. */
  markers?: ChartMarker[];
  /** The chart's accessible name (what it shows: symbol, range). */
  label: string;
  /** Pixels (the width follows the container). */
  height?: number;
}

type Scheme = "light" | "dark";

/** Candle and axis colours per scheme (canvas colours: CSS variables do not reach a canvas). */
export const CHART_COLORS: Record<Scheme, { text: string; grid: string; border: string; up: string; down: string; upVolume: string; downVolume: string }> = {
  light: {
    text: "#343a40",
    grid: "#eef0f2",
    border: "#ced4da",
    up: "#099268",
    down: "#e03131",
    upVolume: "rgba(9, 146, 104, 0.35)",
    downVolume: "rgba(224, 49, 49, 0.35)",
  },
  dark: {
    text: "#c9c9c9",
    grid: "#2c2e33",
    border: "#424242",
    up: "#38d9a9",
    down: "#ff6b6b",
    upVolume: "rgba(56, 217, 169, 0.35)",
    downVolume: "rgba(255, 107, 107, 0.35)",
  },
};

export function chartOptions(scheme: Scheme): DeepPartial<ChartOptions> {
  const colors = CHART_COLORS[scheme];
  return {
    layout: { background: { type: ColorType.Solid, color: "transparent" }, textColor: colors.text, fontSize: 11 },
    grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
    rightPriceScale: { borderColor: colors.border },
    // minBarSpacing: a long series fits the width (the default 0.5 px per bar shows only the last
    // few years of daily bars, on a phone much less).
    timeScale: { borderColor: colors.border, minBarSpacing: 0.001 },
    crosshair: { mode: CrosshairMode.Normal },
  };
}

function candleOptions(scheme: Scheme) {
  const { up, down } = CHART_COLORS[scheme];
  return { upColor: up, downColor: down, borderUpColor: up, borderDownColor: down, wickUpColor: up, wickDownColor: down };
}

/** The index of the last candle starting at or before `time` (0 when it precedes them all). */
export function barIndexAt(candles: Candle[], time: number): number {
  let low = 0;
  let high = candles.length - 1;
  let found = 0;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (candles[middle].time <= time) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** Markers moved onto the bars that hold them, in time order (lightweight-charts needs both). */
export function placeMarkers(candles: Candle[], markers: ChartMarker[]): SeriesMarker<Time>[] {
  if (!candles.length) return [];
  return markers.map((marker) => ({ ...marker, time: candles[barIndexAt(candles, marker.time)].time as UTCTimestamp })).sort((a, b) => a.time - b.time);
}

/** Volume bars coloured up/down like the candle at the same time. */
export function volumeBars(candles: Candle[], volume: VolumeBar[], scheme: Scheme) {
  const { upVolume, downVolume } = CHART_COLORS[scheme];
  const direction = new Map(candles.map((candle) => [candle.time, candle.close >= candle.open]));
  return volume.map((bar) => ({ time: bar.time as UTCTimestamp, value: bar.value, color: direction.get(bar.time) === false ? downVolume : upVolume }));
}

export function CandleChart({ candles, volume, markers, label, height = 420 }: CandleChartProps) {
  const scheme = useComputedColorScheme("light");
  const { i18n } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<{
    api: IChartApi;
    candles: ISeriesApi<"Candlestick">;
    volume: ISeriesApi<"Histogram">;
    markers: ISeriesMarkersPluginApi<Time>;
  } | null>(null);

  // One chart per mounted component; options, data and markers are applied by the effects below.
  useEffect(() => {
    if (!container.current) return;
    const api = createChart(container.current, { autoSize: true, localization: { locale: i18n.language } });
    const candleSeries = api.addSeries(CandlestickSeries, { priceLineVisible: false });
    const volumeSeries = api.addSeries(HistogramSeries, {
      priceScaleId: "volume",
      priceFormat: { type: "volume" },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    api.priceScale("volume").applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    chart.current = { api, candles: candleSeries, volume: volumeSeries, markers: createSeriesMarkers(candleSeries, []) };
    // autoSize learns the width after the first layout: fit the whole range again once it is known
    // (and when it changes: a phone rotated, the navigation opened).
    let width = 0;
    const resized =
      typeof ResizeObserver === "undefined"
        ? null
        : new ResizeObserver((entries) => {
            const next = Math.round(entries[0]?.contentRect.width ?? 0);
            if (next && next !== width) {
              width = next;
              requestAnimationFrame(() => chart.current?.api.timeScale().fitContent());
            }
          });
    resized?.observe(container.current);
    return () => {
      resized?.disconnect();
      chart.current = null;
      api.remove();
    };
    // The locale is applied by its own effect: creating the chart once is enough.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    chart.current?.api.applyOptions({ localization: { locale: i18n.language } });
  }, [i18n.language]);

  useEffect(() => {
    if (!chart.current) return;
    chart.current.api.applyOptions(chartOptions(scheme));
    chart.current.candles.applyOptions(candleOptions(scheme));
  }, [scheme]);

  useEffect(() => {
    if (!chart.current) return;
    chart.current.candles.setData(candles.map((candle) => ({ ...candle, time: candle.time as UTCTimestamp })));
    chart.current.api.timeScale().fitContent();
  }, [candles]);

  useEffect(() => {
    chart.current?.volume.setData(volume ? volumeBars(candles, volume, scheme) : []);
  }, [candles, volume, scheme]);

  useEffect(() => {
    chart.current?.markers.setMarkers(placeMarkers(candles, markers ?? []));
  }, [candles, markers]);

  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      <div ref={container} data-testid="candle-chart" style={{ width: "100%", height, position: "relative" }} />
    </figure>
  );
}

export default CandleChart;
