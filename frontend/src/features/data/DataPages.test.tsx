import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Dataset } from "../../api/client";
import { fakeApi, type Route as FakeRoute } from "../../test/api";
import { FakeSocket } from "../../test/fakeSocket";
import { connected, push } from "../../test/realtime";
import { AppHarness, type AppOptions } from "../../test/render";
import { DataPage } from "./DataPage";
import { DatasetPage } from "./DatasetPage";
import { MAX_POINTS, monthsBefore, SymbolPage } from "./SymbolPage";

vi.mock("../../components/charts/CandleChart", () => ({
  CandleChart: ({ candles, volume, label }: { candles: unknown[]; volume?: unknown[]; label: string }) => (
    <figure aria-label={label} data-candles={candles.length} data-volume={volume?.length ?? 0} />
  ),
}));

function aDataset(overrides: Partial<Dataset> = {}): Dataset {
  return {
    dataset_id: "d1",
    name: "prices",
    status: "ready",
    source: "upload",
    synthetic: false,
    symbols_count: 2,
    rows: 250,
    start: "2024-01-02T00:00:00Z",
    end: "2024-12-31T00:00:00Z",
    format: "csv",
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ignored_columns: [],
    ...overrides,
  } as Dataset;
}

function at(path: string, pattern: string, element: React.ReactElement, routes: Record<string, FakeRoute>, connection: AppOptions["connection"] = null) {
  const api = fakeApi(routes);
  render(
    <AppHarness options={{ fetch: api.fetch, connection }}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={pattern} element={element} />
          <Route path="*" element={<p>elsewhere</p>} />
        </Routes>
      </MemoryRouter>
    </AppHarness>,
  );
  return api;
}

beforeEach(() => {
  FakeSocket.instances = [];
});

describe("DataPage", () => {
  it("lists datasets with their status and deletes one after confirming", async () => {
    let items = [aDataset(), aDataset({ dataset_id: "d2", name: "broken", status: "failed", rows: 0, symbols_count: 0, start: null, end: null })];
    const api = at("/data", "/data", <DataPage />, {
      "GET /datasets": () => ({ status: 200, body: { items, next_token: null } }),
      "DELETE /datasets/d2": () => {
        items = items.slice(0, 1);
        return { status: 204 };
      },
    });
    const table = await screen.findByRole("table", { name: "Datasets" });
    expect(within(table).getByText("ready")).toBeTruthy();
    expect(within(table).getByText("failed")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Delete broken" }));
    fireEvent.click(await screen.findByRole("button", { name: "Delete dataset" }));
    await waitFor(() => expect(screen.queryByText("broken")).toBeNull());
    expect(api.requests.some((r) => r.route === "DELETE /datasets/d2")).toBe(true);
  });

  it("shows the server's message at the field it names", async () => {
    at("/data", "/data", <DataPage />, {
      "GET /datasets": { status: 200, body: { items: [], next_token: null } },
      "POST /datasets": {
        status: 422,
        body: {
          title: "Invalid",
          status: 422,
          detail: "1 invalid field",
          errors: [{ loc: ["body", "symbol"], msg: "letters, digits and . - = ^ _, up to 20", type: "x" }],
        },
      },
    });
    const file = new File(["a"], "prices.csv", { type: "text/csv" });
    fireEvent.change(document.querySelector('input[type="file"]')!, { target: { files: [file] } });
    expect((screen.getByLabelText(/^Dataset name/) as HTMLInputElement).value).toBe("prices");
    fireEvent.change(screen.getByLabelText("Symbol"), { target: { value: "$$" } });
    fireEvent.click(screen.getByRole("button", { name: "Upload and import" }));
    const symbol = screen.getByLabelText("Symbol");
    await waitFor(() => expect(symbol.getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByText("letters, digits and . - = ^ _, up to 20")).toBeTruthy();
  });

  it("asks for a file before uploading", async () => {
    const api = at("/data", "/data", <DataPage />, { "GET /datasets": { status: 200, body: { items: [], next_token: null } } });
    fireEvent.click(screen.getByRole("button", { name: "Upload and import" }));
    expect(await screen.findByText("Choose a file to upload.")).toBeTruthy();
    expect(api.requests.some((r) => r.route.startsWith("POST"))).toBe(false);
  });

  it("seeds the sample universe", async () => {
    const api = at("/data", "/data", <DataPage />, {
      "GET /datasets": { status: 200, body: { items: [], next_token: null } },
      "POST /datasets/sample": { status: 202, body: { dataset: aDataset({ dataset_id: "sample", status: "queued" }), started: true } },
    });
    fireEvent.click(screen.getByRole("button", { name: "Seed sample universe" }));
    expect(await screen.findByText(/Seeding the sample universe/)).toBeTruthy();
    expect(api.requests.some((r) => r.route === "POST /datasets/sample")).toBe(true);
  });
});

describe("DatasetPage", () => {
  it("follows the import live and shows the error at its row and column", async () => {
    const { connection, socket } = await connected();
    let dataset = aDataset({ status: "importing", rows: 0, symbols_count: 0 });
    at("/data/datasets/d1", "/data/datasets/:datasetId", <DatasetPage />, { "GET /datasets/d1": () => ({ status: 200, body: dataset }) }, connection);
    expect(await screen.findByText("importing")).toBeTruthy();
    expect(socket.sent.some((m) => JSON.stringify(m).includes("dataset:d1"))).toBe(true);
    dataset = aDataset({ status: "failed", error: { message: "'abc' is not a finite number", row: 3, column: "close", count: 2 } });
    await push(socket, "dataset.status", "dataset:d1", { dataset_id: "d1", status: "failed" });
    const alert = await screen.findByTestId("import-error");
    expect(within(alert).getByText("Row 3")).toBeTruthy();
    expect(within(alert).getByTestId("import-error-column").textContent).toContain("close");
    expect(within(alert).getByText("'abc' is not a finite number")).toBeTruthy();
    expect(within(alert).getByText("2 rows have this problem")).toBeTruthy();
  });
});

describe("SymbolPage", () => {
  it("asks the API for a year before the dataset's last bar, downsampled, and draws it", async () => {
    const api = at("/data/symbols/aapl", "/data/symbols/:symbol", <SymbolPage />, {
      "GET /symbols": {
        status: 200,
        body: {
          items: [
            {
              symbol: "AAPL",
              synthetic: false,
              datasets: [{ dataset_id: "d1", dataset_name: "prices", synthetic: false, rows: 3, start: "2020-01-02T00:00:00Z", end: "2024-12-31T00:00:00Z" }],
            },
          ],
        },
      },
      "GET /symbols/AAPL/candles": {
        status: 200,
        body: {
          symbol: "AAPL",
          dataset_id: "d1",
          dataset_name: "prices",
          synthetic: false,
          total: 5000,
          count: 2,
          downsampled: true,
          t: [1704153600, 1704240000],
          o: [1, 2],
          h: [2, 3],
          l: [0.5, 1.5],
          c: [1.5, 2.5],
          v: [10, 20],
        },
      },
    });
    const chart = await screen.findByRole("figure");
    expect(chart.getAttribute("data-candles")).toBe("2");
    expect(chart.getAttribute("data-volume")).toBe("2");
    expect(screen.getByTestId("bar-count").textContent).toBe("2 bars aggregated from 5,000");
    const candles = api.requests.filter((r) => r.route.startsWith("GET /symbols/AAPL/candles"));
    expect(candles).toHaveLength(1);
    const query = new URL(`http://x${candles[0].route.slice(4)}`).searchParams;
    expect(query.get("max_points")).toBe(String(MAX_POINTS));
    expect(query.get("start")).toBe("2023-12-31");
    expect(query.get("dataset_id")).toBe("d1");
  });

  it("computes ranges back from the last bar", () => {
    expect(monthsBefore("2024-03-31T00:00:00Z", 3)).toBe("2023-12-31");
  });
});
