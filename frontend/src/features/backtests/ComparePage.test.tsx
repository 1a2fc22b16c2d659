import { screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import ComparePage, { idsOf } from "./ComparePage";
import { COMPARISON, RESULTS } from "./testData";

vi.mock("lightweight-charts", async () => (await import("./chartMock")).chartMock());

function renderCompare(path: string) {
  const api = fakeApi({
    "GET /backtests/compare?ids=b1%2Cb2": { status: 200, body: COMPARISON },
    "GET /backtests/b1/curves": { status: 200, body: RESULTS.curves },
    "GET /backtests/b2/curves": { status: 200, body: RESULTS.curves },
  });
  renderWithApp(
    <Routes>
      <Route path="/backtests/compare" element={<ComparePage />} />
    </Routes>,
    { fetch: api.fetch, path },
  );
  return api;
}

it("reads each id once, in order", () => {
  expect(idsOf("b1, b2,,b1")).toEqual(["b1", "b2"]);
  expect(idsOf(null)).toEqual([]);
});

it("overlays the runs' returns and puts every metric side by side", async () => {
  const api = renderCompare("/backtests/compare?ids=b1,b2");
  const table = await screen.findByTestId("compare-metrics");
  expect(within(table).getByRole("link", { name: "Run one" }).getAttribute("href")).toBe("/backtests/b1");
  const returns = within(table).getByText("Return").closest("tr")!;
  expect(returns.textContent).toContain("12.5%");
  expect(returns.textContent).toContain("-3%");
  expect(within(table).getByText("Sharpe ratio").closest("tr")!.textContent).toContain("1.235");
  const chart = await screen.findByTestId("compare-chart");
  await vi.waitFor(() => expect(chart.dataset.points).toBe("120"));
  expect(screen.getByRole("figure", { name: "Return of each backtest in percent of its starting cash" })).toBeTruthy();
  expect(api.requests.some((r) => r.route.startsWith("GET /backtests/b2/curves?max_points="))).toBe(true);
});

it("asks for 2 to 4 runs", async () => {
  renderCompare("/backtests/compare?ids=b1");
  expect(await screen.findByText("Choose 2 to 4 backtests in the list to compare them.")).toBeTruthy();
});
