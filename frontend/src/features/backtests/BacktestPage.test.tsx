import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { beforeEach, expect, it, vi } from "vitest";
import { fakeApi, type Route as FakeRoute } from "../../test/api";
import { FakeSocket } from "../../test/fakeSocket";
import { connected, push } from "../../test/realtime";
import { renderWithApp } from "../../test/render";
import BacktestPage from "./BacktestPage";
import { aBacktest, CANDLES, RESULTS, SAMPLE, SUCCEEDED, TRADES } from "./testData";

vi.mock("lightweight-charts", async () => (await import("./chartMock")).chartMock());

beforeEach(() => {
  FakeSocket.instances = [];
});

function routes(job = SUCCEEDED): Record<string, FakeRoute> {
  return {
    "GET /jobs/b1": { status: 200, body: job },
    "GET /datasets?limit=100": { status: 200, body: { items: [SAMPLE], next_token: null } },
    "GET /backtests/b1/results": { status: 200, body: RESULTS },
    "GET /backtests/b1/trades": (_body, request) => {
      const symbol = new URL(request.url).searchParams.get("symbol");
      const items = TRADES.filter((trade) => !symbol || trade.symbol === symbol);
      return { status: 200, body: { items, next_token: null, total: items.length } };
    },
    "GET /backtests/b1/curves": { status: 200, body: RESULTS.curves },
    "GET /symbols/ZENX/candles": { status: 200, body: CANDLES },
    "GET /symbols/QUBIT/candles": { status: 200, body: { ...CANDLES, symbol: "QUBIT" } },
  };
}

function renderPage(api: ReturnType<typeof fakeApi>, connection: Parameters<typeof renderWithApp>[1]["connection"] = null) {
  return renderWithApp(
    <Routes>
      <Route path="/backtests/:jobId" element={<BacktestPage />} />
    </Routes>,
    { fetch: api.fetch, connection, path: "/backtests/b1" },
  );
}

it("shows every metric grouped, both curves with buy and hold, the trades and one tab per symbol", async () => {
  const api = fakeApi(routes());
  renderPage(api);
  expect(await screen.findByRole("heading", { level: 1, name: SUCCEEDED.name! })).toBeTruthy();
  const returns = await screen.findByTestId("metrics-returns");
  expect(within(returns).getByText("Return").closest("tr")!.textContent).toContain("12.5%");
  expect(within(screen.getByTestId("metrics-riskAdjusted")).getByText("1.234")).toBeTruthy();
  expect(within(screen.getByTestId("metrics-trades")).getByText("66.67%")).toBeTruthy();
  expect(screen.getByRole("figure", { name: "Equity of Portfolio against buy and hold" })).toBeTruthy();
  expect(screen.getByText("Buy and hold")).toBeTruthy();
  expect(screen.getByTestId("equity-chart").dataset.points).toBe("120");
  expect(await screen.findByText("3 trades")).toBeTruthy();
  expect(screen.getByText("fast=10, slow=30")).toBeTruthy();
  // the portfolio's curve at up to 10,000 points; each symbol's only once a symbol's tab opens
  expect(api.requests.some((r) => r.route.startsWith("GET /backtests/b1/results?") && r.route.includes("max_points=10000"))).toBe(true);
  expect(api.requests.some((r) => r.route.startsWith("GET /backtests/b1/curves"))).toBe(false);

  fireEvent.click(screen.getByRole("tab", { name: "QUBIT" }));
  expect(await screen.findByRole("heading", { name: "Price of QUBIT with entries and exits" })).toBeTruthy();
  expect(await screen.findByRole("figure", { name: "Equity of QUBIT against buy and hold" })).toBeTruthy();
  expect(api.requests.some((r) => r.route.startsWith("GET /backtests/b1/curves?") && r.route.includes("symbols=true"))).toBe(true);
  const price = await screen.findByTestId("price-chart");
  await vi.waitFor(() => expect(price.dataset.markers).toBe("2"));
  expect(await screen.findByText("1 trade")).toBeTruthy();
  expect(screen.getByText("stop loss")).toBeTruthy();
  expect(api.requests.some((r) => r.route.startsWith("GET /symbols/QUBIT/candles?") && r.route.includes("dataset_id=sample"))).toBe(true);
});

it("shows live progress until the job completes, then its results", async () => {
  const running = aBacktest({ status: "running", progress: { shards_done: 1, shards_total: 2, combos_done: 1, combos_total: 2, percent: 50 } });
  const server = { job: running };
  const api = fakeApi({ ...routes(), "GET /jobs/b1": () => ({ status: 200, body: server.job }) });
  const { connection, socket } = await connected();
  renderPage(api, connection);
  expect((await screen.findByTestId("job-percent")).textContent).toBe("50%");
  await vi.waitFor(() => expect(socket.sent).toContainEqual({ action: "subscribe", topics: ["job:b1"] }));
  server.job = SUCCEEDED;
  await push(socket, "job.completed", "job:b1", { job_id: "b1", status: "succeeded", summary: SUCCEEDED.summary });
  expect(await screen.findByTestId("metrics-returns")).toBeTruthy();
  expect(screen.getByTestId("job-percent").textContent).toBe("100%");
  expect(screen.queryByRole("progressbar")).toBeNull();
});

it("says why a backtest failed", async () => {
  const api = fakeApi(routes(aBacktest({ status: "failed", error: "not in dataset sample: NOPE" })));
  renderPage(api);
  expect(await screen.findByText("not in dataset sample: NOPE")).toBeTruthy();
  expect(screen.getByText("The backtest failed")).toBeTruthy();
});

it("says so when the id is another kind of job", async () => {
  const api = fakeApi(routes(aBacktest({ kind: "optimization" })));
  renderPage(api);
  expect(await screen.findByText("This job is not a backtest: it is a job of kind “Optimization”.")).toBeTruthy();
});
