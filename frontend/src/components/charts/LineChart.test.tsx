import { screen } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { cleanPoints, epochSeconds, LineChart, toneColor } from "./LineChart";

const lw = vi.hoisted(() => {
  const made: { kind: string; setData: ReturnType<typeof vi.fn> }[] = [];
  const chart = {
    addSeries: vi.fn((kind: string) => {
      const series = { kind, setData: vi.fn(), applyOptions: vi.fn() };
      made.push(series);
      return series;
    }),
    removeSeries: vi.fn(),
    applyOptions: vi.fn(),
    timeScale: vi.fn(() => ({ fitContent: vi.fn() })),
    remove: vi.fn(),
  };
  return { made, chart };
});

vi.mock("lightweight-charts", () => ({
  createChart: vi.fn(() => lw.chart),
  LineSeries: "Line",
  AreaSeries: "Area",
  ColorType: { Solid: "solid" },
  CrosshairMode: { Normal: 0 },
}));

it("keeps one finite point per time, in order", () => {
  expect(
    cleanPoints([
      { time: 1, value: 1 },
      { time: 2, value: NaN },
      { time: 3, value: 3 },
      { time: 3, value: 4 },
      { time: 2, value: 9 },
    ]),
  ).toEqual([
    { time: 1, value: 1 },
    { time: 3, value: 4 },
  ]);
  expect(epochSeconds(["2024-01-02T00:00:00Z"])).toEqual([1704153600]);
  expect(toneColor("dark", 7)).not.toBe(toneColor("light", 7));
});

it("draws 10,000 points on one canvas chart with a legend, and says how many", () => {
  const points = Array.from({ length: 10_000 }, (_, i) => ({ time: 1_600_000_000 + i * 86_400, value: 100 + i }));
  renderWithApp(
    <LineChart
      label="Equity"
      series={[
        { id: "equity", label: "Strategy", points, tone: 0 },
        { id: "dd", label: "Drawdown", points, tone: "drawdown", kind: "area" },
      ]}
    />,
    { fetch: fakeApi({}).fetch },
  );
  expect(screen.getByRole("figure", { name: "Equity" })).toBeTruthy();
  expect(screen.getByText("Drawdown")).toBeTruthy();
  expect(lw.made.map((s) => s.kind)).toEqual(["Line", "Area"]);
  expect(lw.made[0].setData.mock.lastCall?.[0]).toHaveLength(10_000);
  expect(screen.getByTestId("line-chart").dataset.points).toBe("20000");
});
