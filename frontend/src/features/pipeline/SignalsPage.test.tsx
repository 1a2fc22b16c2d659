import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { afterEach, expect, it, vi } from "vitest";
import { fakeApi, type Route as FakeRoute } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { chartMock } from "../backtests/chartMock";
import SignalsPage from "./SignalsPage";
import { aRun, aSignal } from "./testData";

vi.mock("lightweight-charts", () => chartMock());

afterEach(() => vi.restoreAllMocks());

const LATEST = "GET /pipeline/signals?sort=time&order=desc&runs=1&limit=100";

function page(items = [aSignal(), aSignal({ symbol: "QUBIT", side: "flat", action: "sell", strength: 0.5 })], total = items.length) {
  return { status: 200, body: { items, next_token: null, total } };
}

function renderSignals(routes: Record<string, FakeRoute>, path = "/pipeline/signals") {
  const api = fakeApi(routes);
  renderWithApp(
    <Routes>
      <Route path="/pipeline/signals" element={<SignalsPage />} />
      <Route path="/pipeline/runs/:runId/signals" element={<SignalsPage />} />
    </Routes>,
    { fetch: api.fetch, path },
  );
  return api;
}

it("filters and sorts on the server, with numbers aligned", async () => {
  const api = renderSignals({
    [LATEST]: page(),
    "GET /pipeline/signals?sort=time&order=desc&side=long&runs=1&limit=100": page([aSignal()]),
    "GET /pipeline/signals?sort=strength&order=desc&side=long&runs=1&limit=100": page([aSignal()]),
  });
  const table = await screen.findByTestId("signals-table");
  expect(within(table).getAllByTestId("signal-row")).toHaveLength(2);
  expect(within(table).getByText("0.012").className).toContain("tw-num");
  fireEvent.click(screen.getAllByLabelText("Side")[0]);
  fireEvent.click(await screen.findByRole("option", { name: "Long", hidden: true }));
  await vi.waitFor(() => expect(within(screen.getByTestId("signals-table")).getAllByTestId("signal-row")).toHaveLength(1));
  fireEvent.click(screen.getByRole("button", { name: "Strength" }));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toContain("GET /pipeline/signals?sort=strength&order=desc&side=long&runs=1&limit=100"));
  expect(screen.getByRole("columnheader", { name: "Strength" }).getAttribute("aria-sort")).toBe("descending");
});

it("exports a small table from memory (fetched with the key)", async () => {
  const clicked: string[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(`${this.download} ${this.href}`);
  });
  URL.createObjectURL = vi.fn(() => "blob:signals");
  URL.revokeObjectURL = vi.fn();
  const api = renderSignals(
    {
      "GET /pipeline/runs/r1": { status: 200, body: aRun({ status: "succeeded" }) },
      "GET /pipeline/runs/r1/signals?sort=time&order=desc&limit=100": page(),
      "GET /pipeline/runs/r1/signals/export?sort=time&order=desc&format=csv": { status: 200, body: "symbol,time\n" },
    },
    "/pipeline/runs/r1/signals",
  );
  await screen.findByTestId("signals-table");
  fireEvent.click(screen.getByRole("button", { name: "Export the filtered signals as CSV" }));
  await vi.waitFor(() => expect(clicked).toEqual(["signals-r1.csv blob:signals"]));
  expect(api.requests.find((r) => r.route.includes("/export"))?.headers.get("Authorization")).toBe("Bearer tw_test");
});

it("exports a large table through its presigned link (link=true)", async () => {
  const clicked: string[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(this.href);
  });
  const api = renderSignals({
    [LATEST]: page([aSignal()], 25_000),
    "GET /pipeline/signals/export?sort=time&order=desc&runs=1&format=json&link=true": {
      status: 200,
      body: { url: "https://bucket.example/signals.json?X-Amz-Signature=x", filename: "signals-latest-1.json", rows: 25_000 },
    },
  });
  await screen.findByTestId("signals-table");
  fireEvent.click(screen.getByRole("button", { name: "Export the filtered signals as JSON" }));
  await vi.waitFor(() => expect(clicked).toEqual(["https://bucket.example/signals.json?X-Amz-Signature=x"]));
  expect(api.requests.some((r) => r.route.includes("link=true"))).toBe(true);
});

it("opens a signal on its symbol's candles, marked", async () => {
  renderSignals({
    [LATEST]: page([aSignal()]),
    "GET /pipeline/runs/r1": { status: 200, body: aRun({ status: "succeeded" }) },
    "GET /symbols/ZENX/candles": {
      status: 200,
      body: {
        symbol: "ZENX",
        dataset_id: "sample",
        dataset_name: "Sample",
        synthetic: true,
        t: [1709251200],
        o: [1],
        h: [2],
        l: [0.5],
        c: [1.5],
        v: [10],
        count: 1,
        total: 1,
        downsampled: false,
      },
    },
  });
  fireEvent.click(await screen.findByRole("button", { name: /^Chart of ZENX at / }));
  expect(await screen.findByTestId("signal-chart")).toBeTruthy();
  expect(screen.getByRole("link", { name: "Open ZENX on the data page" }).getAttribute("href")).toBe(
    "/data/symbols/ZENX?dataset=sample&range=custom&start=2023-03-01&end=2024-06-01",
  );
});
