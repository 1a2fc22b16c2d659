/** Market breadth on one time axis: stacked panes of one lightweight-charts chart (A/D line, % above
 * the 50/200-bar averages, McClellan oscillator, summation index, new highs minus lows), so zooming
 * or scrolling one moves them all. Colours follow the light/dark scheme; an HTML legend names each
 * pane's series (a canvas says nothing to a screen reader). */
import { useComputedColorScheme } from "@mantine/core";
import { createChart, HistogramSeries, type IChartApi, LineSeries, type UTCTimestamp, type WhitespaceData } from "lightweight-charts";
import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { chartOptions } from "../../components/charts/CandleChart";
import { LINE_COLORS } from "../../components/charts/LineChart";
import type { BreadthSeries } from "./api";

type Scheme = "light" | "dark";
type Datum = { time: UTCTimestamp; value: number } | WhitespaceData<UTCTimestamp>;

export interface PaneSeries {
  measure: string;
  kind: "line" | "histogram";
  tone: number;
}

/** The panes top to bottom and the measures each one draws. */
export const PANES: { id: string; series: PaneSeries[]; height: number }[] = [
  { id: "adLine", series: [{ measure: "ad_line", kind: "line", tone: 0 }], height: 2 },
  {
    id: "aboveAverages",
    series: [
      { measure: "pct_above_50", kind: "line", tone: 1 },
      { measure: "pct_above_200", kind: "line", tone: 2 },
    ],
    height: 1.5,
  },
  { id: "oscillator", series: [{ measure: "mcclellan_oscillator", kind: "histogram", tone: 3 }], height: 1.2 },
  { id: "summation", series: [{ measure: "mcclellan_summation", kind: "line", tone: 5 }], height: 1.2 },
  { id: "highsLows", series: [{ measure: "highs_minus_lows", kind: "histogram", tone: 4 }], height: 1.2 },
];

/** One measure as chart data: epoch seconds, strictly increasing, a gap (whitespace) where it is null. */
export function measureData(breadth: Pick<BreadthSeries, "time" | "series">, measure: string): Datum[] {
  const values = breadth.series[measure] ?? [];
  const out: Datum[] = [];
  let last = -Infinity;
  breadth.time.forEach((iso, i) => {
    const time = Math.floor(Date.parse(iso) / 1000);
    if (!Number.isFinite(time) || time <= last) return;
    last = time;
    const value = values[i];
    out.push(value === null || value === undefined || !Number.isFinite(value) ? { time: time as UTCTimestamp } : { time: time as UTCTimestamp, value });
  });
  return out;
}

export function histogramColors(scheme: Scheme) {
  return scheme === "dark"
    ? { up: "rgba(56, 217, 169, 0.8)", down: "rgba(255, 107, 107, 0.8)" }
    : { up: "rgba(9, 146, 104, 0.8)", down: "rgba(224, 49, 49, 0.8)" };
}

export function BreadthChart({ breadth, label, height = 640 }: { breadth: BreadthSeries; label: string; height?: number }) {
  const { t, i18n } = useTranslation("pipeline");
  const scheme = useComputedColorScheme("light");
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const data = useMemo(() => PANES.map((pane) => pane.series.map((s) => measureData(breadth, s.measure))), [breadth]);

  useEffect(() => {
    if (!container.current) return;
    const api = createChart(container.current, { autoSize: true, localization: { locale: i18n.language } });
    chart.current = api;
    return () => {
      chart.current = null;
      api.remove();
    };
    // One chart per mounted component: locale, colours and data are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    chart.current?.applyOptions({ localization: { locale: i18n.language } });
  }, [i18n.language]);

  useEffect(() => {
    const api = chart.current;
    const element = container.current;
    if (!api || !element) return;
    const base = chartOptions(scheme);
    const colors = CHART_BORDER[scheme];
    api.applyOptions({
      ...base,
      layout: { ...base.layout, panes: { separatorColor: colors, enableResize: true } },
      timeScale: { ...base.timeScale, minBarSpacing: 0.001 },
    });
    for (const pane of api.panes()) for (const series of pane.getSeries()) api.removeSeries(series);
    const { up, down } = histogramColors(scheme);
    let points = 0;
    PANES.forEach((pane, index) => {
      pane.series.forEach((spec, j) => {
        const color = LINE_COLORS[scheme].palette[spec.tone % LINE_COLORS[scheme].palette.length];
        const rows = data[index][j];
        points += rows.filter((row) => "value" in row).length;
        if (spec.kind === "histogram") {
          const made = api.addSeries(
            HistogramSeries,
            { priceLineVisible: false, lastValueVisible: true, priceFormat: { type: "price", precision: 1, minMove: 0.1 } },
            index,
          );
          made.setData(rows.map((row) => ("value" in row ? { ...row, color: row.value >= 0 ? up : down } : row)));
        } else {
          const made = api.addSeries(
            LineSeries,
            { color, lineWidth: 2, priceLineVisible: false, priceFormat: { type: "price", precision: 1, minMove: 0.1 } },
            index,
          );
          made.setData(rows);
        }
      });
    });
    api.panes().forEach((pane, index) => pane.setStretchFactor(PANES[index]?.height ?? 1));
    api.timeScale().fitContent();
    element.dataset.points = String(points);
    element.dataset.panes = String(api.panes().length);
    const frame = requestAnimationFrame(() => api.timeScale().fitContent());
    return () => cancelAnimationFrame(frame);
  }, [data, scheme]);

  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      <div ref={container} data-testid="breadth-chart" style={{ width: "100%", height, position: "relative" }} />
      <figcaption style={{ display: "flex", flexDirection: "column", gap: 4, marginTop: 8, fontSize: "var(--mantine-font-size-xs)" }}>
        {PANES.map((pane, index) => (
          <span key={pane.id} style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: "4px 12px", minWidth: 0 }}>
            <strong>{t("breadth.paneOrder", { n: index + 1, name: t(`breadth.panes.${pane.id}`) })}</strong>
            {pane.series.map((spec) => (
              <span key={spec.measure} style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
                <span
                  aria-hidden
                  style={{
                    display: "inline-block",
                    width: 14,
                    height: spec.kind === "histogram" ? 8 : 0,
                    borderTop: spec.kind === "line" ? `3px solid ${LINE_COLORS[scheme].palette[spec.tone % 6]}` : undefined,
                    background:
                      spec.kind === "histogram" ? `linear-gradient(90deg, ${histogramColors(scheme).up} 50%, ${histogramColors(scheme).down} 50%)` : undefined,
                  }}
                />
                {t(`breadth.measures.${spec.measure}`)}
              </span>
            ))}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

const CHART_BORDER: Record<Scheme, string> = { light: "#ced4da", dark: "#424242" };

export default BreadthChart;
