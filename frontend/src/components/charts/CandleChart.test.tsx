import { useMantineColorScheme } from "@mantine/core";
import { act, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { barIndexAt, CandleChart, CHART_COLORS, placeMarkers, volumeBars, type Candle } from "./CandleChart";
import { candlesFromColumns } from "./CandleChartData";

// jsdom has no canvas: the library is replaced by a recorder of what the component asks it to draw.
const lw = vi.hoisted(() => {
  const series = () => ({ setData: vi.fn(), applyOptions: vi.fn() });
  const state = {
    chart: null as null | Record<string, ReturnType<typeof vi.fn>>,
    series: [] as ReturnType<typeof series>[],
    markers: { setMarkers: vi.fn() },
  };
  const createChart = vi.fn(() => {
    state.series = [];
    const priceScale = { applyOptions: vi.fn() };
    const timeScale = { fitContent: vi.fn() };
    state.chart = {
      addSeries: vi.fn(() => {
        const made = series();
        state.series.push(made);
        return made;
      }),
      applyOptions: vi.fn(),
      priceScale: vi.fn(() => priceScale),
      timeScale: vi.fn(() => timeScale),
      remove: vi.fn(),
    };
    return state.chart;
  });
  return { state, createChart };
});

vi.mock("lightweight-charts", () => ({
  createChart: lw.createChart,
  createSeriesMarkers: vi.fn(() => lw.state.markers),
  CandlestickSeries: "Candlestick",
  HistogramSeries: "Histogram",
  ColorType: { Solid: "solid" },
  CrosshairMode: { Normal: 0 },
}));

const candles: Candle[] = [
  { time: 100, open: 10, high: 12, low: 9, close: 11 },
  { time: 200, open: 11, high: 11.5, low: 8, close: 9 },
  { time: 300, open: 9, high: 10, low: 8.5, close: 9.5 },
];

function SchemeSwitch() {
  const { setColorScheme } = useMantineColorScheme();
  return <button onClick={() => setColorScheme("dark")}>dark</button>;
}

describe("CandleChart", () => {
  beforeEach(() => {
    lw.createChart.mockClear();
    lw.state.markers.setMarkers.mockClear();
  });

  it("draws candles, volume and markers placed on their bars, and removes the chart on unmount", () => {
    const { unmount } = renderWithApp(
      <CandleChart
        candles={candles}
        volume={candles.map((c) => ({ time: c.time, value: c.time * 10 }))}
        markers={[
          { time: 250, position: "aboveBar", color: "red", shape: "arrowDown", text: "exit" },
          { time: 100, position: "belowBar", color: "green", shape: "arrowUp", text: "entry" },
        ]}
        label="AAPL daily"
      />,
      { fetch: fakeApi({}).fetch },
    );
    expect(screen.getByRole("figure", { name: "AAPL daily" })).toBeTruthy();
    expect(lw.createChart).toHaveBeenCalledTimes(1);
    const [candleSeries, volumeSeries] = lw.state.series;
    expect(candleSeries.setData).toHaveBeenLastCalledWith(candles);
    expect(volumeSeries.setData.mock.lastCall?.[0]).toEqual([
      { time: 100, value: 1000, color: CHART_COLORS.light.upVolume },
      { time: 200, value: 2000, color: CHART_COLORS.light.downVolume },
      { time: 300, value: 3000, color: CHART_COLORS.light.upVolume },
    ]);
    expect(lw.state.markers.setMarkers.mock.lastCall?.[0].map((m: { time: number; text: string }) => [m.time, m.text])).toEqual([
      [100, "entry"],
      [200, "exit"],
    ]);
    const chart = lw.state.chart!;
    unmount();
    expect(chart.remove).toHaveBeenCalled();
  });

  it("follows the colour scheme", () => {
    renderWithApp(
      <>
        <SchemeSwitch />
        <CandleChart candles={candles} label="chart" />
      </>,
      { fetch: fakeApi({}).fetch },
    );
    const chart = lw.state.chart!;
    expect(chart.applyOptions.mock.lastCall?.[0].layout.textColor).toBe(CHART_COLORS.light.text);
    act(() => screen.getByRole("button", { name: "dark" }).click());
    expect(chart.applyOptions.mock.lastCall?.[0].layout.textColor).toBe(CHART_COLORS.dark.text);
    expect(lw.state.series[0].applyOptions.mock.lastCall?.[0].upColor).toBe(CHART_COLORS.dark.up);
    expect(lw.state.series[1].setData).toHaveBeenLastCalledWith([]);
  });
});

describe("chart data", () => {
  it("finds the bar holding a time", () => {
    expect(barIndexAt(candles, 50)).toBe(0);
    expect(barIndexAt(candles, 200)).toBe(1);
    expect(barIndexAt(candles, 299)).toBe(1);
    expect(barIndexAt(candles, 10_000)).toBe(2);
    expect(placeMarkers([], [{ time: 1, position: "inBar", color: "red", shape: "circle" }])).toEqual([]);
  });

  it("colours volume like its candle, dark too", () => {
    expect(volumeBars(candles, [{ time: 200, value: 5 }], "dark")).toEqual([{ time: 200, value: 5, color: CHART_COLORS.dark.downVolume }]);
  });

  it("reads the API's columns", () => {
    expect(candlesFromColumns({ t: [1, 2], o: [1, 2], h: [3, 4], l: [0, 1], c: [2, 3], v: [10, 20] })).toEqual({
      candles: [
        { time: 1, open: 1, high: 3, low: 0, close: 2 },
        { time: 2, open: 2, high: 4, low: 1, close: 3 },
      ],
      volume: [
        { time: 1, value: 10 },
        { time: 2, value: 20 },
      ],
    });
  });
});
