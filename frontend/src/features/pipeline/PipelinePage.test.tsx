import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes, useLocation } from "react-router";
import { beforeEach, expect, it, vi } from "vitest";
import { fakeApi, type Route as FakeRoute } from "../../test/api";
import { FakeSocket } from "../../test/fakeSocket";
import { jobFormRoutes } from "../../test/fixtures";
import { connected, push } from "../../test/realtime";
import { renderWithApp } from "../../test/render";
import PipelinePage from "./PipelinePage";
import { buildRunRequest, fieldOf } from "./StartForm";
import { aRun } from "./testData";

beforeEach(() => {
  FakeSocket.instances = [];
});

function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname}</output>;
}

const SAMPLE = { dataset_id: "sample", name: "Sample universe", status: "ready", synthetic: true };

function routes(extra: Record<string, FakeRoute> = {}): Record<string, FakeRoute> {
  return {
    ...jobFormRoutes([SAMPLE]),
    "GET /watchlists?limit=100": { status: 200, body: { items: [], next_token: null } },
    "GET /pipeline/stats": {
      status: 200,
      body: { total_runs: 12, by_status: {}, success_rate: 0.75, runs_last_24h: 3, average_duration_seconds: 125, window: 1000 },
    },
    "GET /pipeline/runs?limit=20": { status: 200, body: { items: [aRun()], next_token: null } },
    ...extra,
  };
}

function renderPage(api: ReturnType<typeof fakeApi>, path = "/pipeline", connection: Parameters<typeof renderWithApp>[1]["connection"] = null) {
  return renderWithApp(
    <>
      <Routes>
        <Route path="/pipeline" element={<PipelinePage />} />
        <Route path="*" element={null} />
      </Routes>
      <Where />
    </>,
    { fetch: api.fetch, path, connection },
  );
}

it("builds the request for each universe and maps the server's paths to fields", () => {
  const form = {
    mode: "small" as const,
    universe: "symbols" as const,
    datasetId: "d1",
    watchlistId: null,
    symbols: ["ZENX"],
    strategy: "t:sma_cross",
    version: "",
    params: { fast: 5, slow: "" },
    timeframe: "1w" as const,
    start: "2024-01-01",
    end: "",
    name: " ",
  };
  expect(buildRunRequest(form)).toEqual({
    mode: "small",
    timeframe: "1w",
    universe: { kind: "symbols", dataset_id: "d1", symbols: ["ZENX"] },
    template: "sma_cross",
    params: { fast: 5 },
    start: "2024-01-01",
  });
  expect(buildRunRequest({ ...form, universe: "sample", strategy: "s:abc", version: "2", params: {} })).toMatchObject({
    universe: { kind: "sample" },
    strategy_id: "abc",
    strategy_version: 2,
  });
  expect(["universe.symbols.3", "universe.dataset_id", "params.fast", "template", "start", "other"].map(fieldOf)).toEqual([
    "symbols",
    "dataset_id",
    "params.fast",
    "strategy_id",
    "start",
    null,
  ]);
});

it("shows stats, follows a run live and stops it", async () => {
  const api = fakeApi(routes({ "POST /pipeline/runs/r1/stop": { status: 200, body: aRun({ stop_requested: true }) } }));
  const { connection, socket } = await connected();
  renderPage(api, "/pipeline", connection);
  await vi.waitFor(() => expect(screen.getByTestId("stat-totalRuns").textContent).toContain("12"));
  expect(screen.getByTestId("stat-successRate").textContent).toContain("75%");
  expect(screen.getByTestId("stat-averageDuration").textContent).toContain("2 min 5 sec");
  const row = await screen.findByTestId("run-r1");
  await vi.waitFor(() => expect(socket.sent).toContainEqual({ action: "subscribe", topics: ["job:r1"] }));
  await push(socket, "job.progress", "job:r1", {
    job_id: "r1",
    status: "running",
    shards_done: 1,
    shards_total: 1,
    combos_done: 5,
    combos_total: 5,
    combos_per_second: 2.5,
    eta_seconds: 0,
    batches_done: 1,
    batches_total: 1,
    symbols_done: 5,
    symbols_total: 5,
    signals_found: 42,
  });
  expect(within(row).getByTestId("run-percent").textContent).toBe("100%");
  expect(within(row).getByTestId("run-counts").textContent).toBe("batches 1/1 · symbols 5/5 · 42 signals · 2.5 symbols/s · 0 sec left");
  fireEvent.click(within(row).getByRole("button", { name: "Stop SMA cross · Demo" }));
  expect(await within(row).findByText("stopping")).toBeTruthy();
  expect(api.requests.map((r) => r.route)).toContain("POST /pipeline/runs/r1/stop");
});

it("filters runs on the server", async () => {
  const api = fakeApi(routes({ "GET /pipeline/runs?limit=20&mode=full": { status: 200, body: { items: [], next_token: null } } }));
  renderPage(api);
  await screen.findByTestId("run-r1");
  fireEvent.click(screen.getAllByLabelText("Mode")[0]);
  fireEvent.click(await screen.findByRole("option", { name: "Full", hidden: true }));
  expect(await screen.findByText("No run matches.")).toBeTruthy();
});

it("starts a demo run on the sample universe, showing the server's messages at their fields", async () => {
  let calls = 0;
  const api = fakeApi(
    routes({
      "POST /pipeline/runs": () =>
        ++calls === 1
          ? {
              status: 422,
              body: {
                title: "Unprocessable",
                status: 422,
                detail: "invalid",
                errors: [
                  { loc: ["body", "params", "fast"], msg: "fast must be below slow", type: "value_error" },
                  { loc: ["body", "end"], msg: "end is before start", type: "value_error" },
                ],
              },
            }
          : { status: 202, body: aRun({ job_id: "r9" }) },
    }),
  );
  renderPage(api, "/pipeline?new=1");
  await screen.findByRole("heading", { name: "Start a run" });
  expect(await screen.findByText(/^Range 2 to 50, default \d+$/)).toBeTruthy(); // the backtest form's parameter fields
  fireEvent.click(screen.getByRole("button", { name: "Start the run" }));
  expect(await screen.findByText("fast must be below slow")).toBeTruthy();
  expect(screen.getByText("end is before start")).toBeTruthy();
  expect(screen.getByLabelText("End date").getAttribute("aria-invalid")).toBe("true");
  const sent = api.requests.find((r) => r.route === "POST /pipeline/runs")!.body;
  expect(sent).toEqual({ mode: "demo", timeframe: "1d", universe: { kind: "sample" }, template: "sma_cross" });
  fireEvent.click(screen.getByRole("button", { name: "Start the run" }));
  await vi.waitFor(() => expect(screen.getByTestId("where").textContent).toBe("/pipeline/runs/r9"));
});
