import { screen } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { cleanPoints, decimate, epochSeconds, LineChart, toneColor } from "./LineChart";

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

it("draws a long curve from each pixel column's lowest and highest points, the same count per column", () => {
  const curve = (f: (i: number) => number) => cleanPoints(Array.from({ length: 10_000 }, (_, i) => ({ time: 1_000 + i * 86_400, value: f(i) })));
  const equity = curve((i) => 100 + Math.sin(i / 37) * 10 + (i === 4321 ? 500 : 0) - (i === 777 ? 300 : 0));
  const benchmark = curve((i) => 100 + i / 100);
  expect(decimate([equity, benchmark], 5_000)).toBeNull(); // few enough points: all drawn
  const kept = decimate([equity, benchmark], 1_000)!;
  // four times per column (two curves' lows and highs; the last time is the rising benchmark's high)
  expect(kept.size).toBe(4 * 1_000);
  // the spikes and both ends survive; every kept time is one of the curve's own
  for (const i of [0, 777, 4321, 9_999]) expect(kept.has(equity[i].time)).toBe(true);
  expect([...kept].every((time) => equity.some((point) => point.time === time))).toBe(true);
  const drawn = equity.filter((point) => kept.has(point.time)).map((point) => point.value);
  expect(Math.max(...drawn)).toBe(Math.max(...equity.map((point) => point.value)));
  expect(Math.min(...drawn)).toBe(Math.min(...equity.map((point) => point.value)));
});
