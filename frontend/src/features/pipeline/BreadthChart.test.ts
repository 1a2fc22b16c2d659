import { expect, it } from "vitest";
import { measureData, PANES } from "./BreadthChart";

it("turns a measure into chart data: epoch seconds, gaps where it is null, one point per time", () => {
  const breadth = {
    time: ["2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z", "2024-01-03T00:00:00Z", "2024-01-04T00:00:00Z"],
    series: { pct_above_200: [null, 40, 41, 55.5] },
  };
  expect(measureData(breadth, "pct_above_200")).toEqual([{ time: 1704153600 }, { time: 1704240000, value: 40 }, { time: 1704326400, value: 55.5 }]);
  expect(measureData(breadth, "missing").every((row) => !("value" in row))).toBe(true);
});

it("draws every measure the page promises, each in one pane", () => {
  expect(PANES.flatMap((pane) => pane.series.map((s) => s.measure))).toEqual([
    "ad_line",
    "pct_above_50",
    "pct_above_200",
    "mcclellan_oscillator",
    "mcclellan_summation",
    "highs_minus_lows",
  ]);
});
