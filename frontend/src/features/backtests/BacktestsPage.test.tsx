import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes, useLocation } from "react-router";
import { beforeEach, expect, it, vi } from "vitest";
import { fakeApi, type Route as FakeRoute } from "../../test/api";
import { FakeSocket } from "../../test/fakeSocket";
import { jobFormRoutes } from "../../test/fixtures";
import { connected, push } from "../../test/realtime";
import { renderWithApp } from "../../test/render";
import BacktestsPage from "./BacktestsPage";
import { aBacktest, SAMPLE, SUCCEEDED } from "./testData";

beforeEach(() => {
  FakeSocket.instances = [];
});

function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname + location.search}</output>;
}

function routes(extra: Record<string, FakeRoute> = {}): Record<string, FakeRoute> {
  return {
    ...jobFormRoutes([SAMPLE]),
    "GET /watchlists?limit=100": {
      status: 200,
      body: { items: [{ watchlist_id: "w1", name: "Tech", symbols: ["ZENX"], created_at: "", updated_at: "" }], next_token: null },
    },
    "GET /symbols": { status: 200, body: { items: [{ symbol: "ZENX", description: null, synthetic: true, datasets: [{ dataset_id: "sample" }] }] } },
    ...extra,
  };
}

function renderList(api: ReturnType<typeof fakeApi>, path = "/backtests", connection: Parameters<typeof renderWithApp>[1]["connection"] = null) {
  return renderWithApp(
    <>
      <Routes>
        <Route path="/backtests" element={<BacktestsPage />} />
        <Route path="*" element={null} />
      </Routes>
      <Where />
    </>,
    { fetch: api.fetch, path, connection },
  );
}

it("lists backtests with what they ran, live progress, and compares 2 chosen runs", async () => {
  const running = aBacktest({
    job_id: "b3",
    name: null,
    strategy_name: "RSI",
    symbols: ["QUBIT"],
    status: "running",
    progress: { shards_done: 0, shards_total: 1, combos_done: 0, combos_total: 1, percent: 0 },
  });
  const list = [running, SUCCEEDED, { ...SUCCEEDED, job_id: "b2", name: "Second" }];
  const api = fakeApi(routes({ "GET /backtests?limit=50": { status: 200, body: { items: list, next_token: null } } }));
  const { connection, socket } = await connected();
  renderList(api, "/backtests", connection);
  const row = await screen.findByTestId("backtest-b3");
  expect(within(row).getByRole("link", { name: "RSI · QUBIT" })).toBeTruthy();
  expect(within(row).getByText("RSI · QUBIT · dataset sample")).toBeTruthy();
  await vi.waitFor(() => expect(socket.sent).toContainEqual({ action: "subscribe", topics: ["job:b3"] }));
  await push(socket, "job.progress", "job:b3", {
    job_id: "b3",
    status: "running",
    shards_done: 1,
    shards_total: 2,
    combos_done: 1,
    combos_total: 2,
    combos_per_second: null,
    eta_seconds: null,
  });
  expect(within(row).getByTestId("job-percent").textContent).toBe("50%");
  expect(within(screen.getByTestId("backtest-b1")).getByText("12.5%")).toBeTruthy();

  const compare = screen.getByRole("button", { name: /^Compare/ });
  expect((compare as HTMLButtonElement).disabled).toBe(true);
  expect((within(row).getByRole("checkbox") as HTMLInputElement).disabled).toBe(true); // not finished
  fireEvent.click(screen.getByRole("checkbox", { name: `Select ${SUCCEEDED.name} for comparison` }));
  fireEvent.click(screen.getByRole("checkbox", { name: "Select Second for comparison" }));
  fireEvent.click(compare);
  expect(screen.getByTestId("where").textContent).toBe("/backtests/compare?ids=b1,b2");
});

it("deletes a backtest after confirmation", async () => {
  let items = [SUCCEEDED];
  const api = fakeApi(
    routes({
      "GET /backtests?limit=50": () => ({ status: 200, body: { items, next_token: null } }),
      "DELETE /jobs/b1": () => {
        items = [];
        return { status: 204 };
      },
    }),
  );
  renderList(api);
  fireEvent.click(await screen.findByRole("button", { name: `Delete ${SUCCEEDED.name}` }));
  fireEvent.click(await screen.findByRole("button", { name: "Delete backtest" }));
  expect(await screen.findByText(/No backtests yet/)).toBeTruthy();
});

async function openForm(api: ReturnType<typeof fakeApi>) {
  renderList(api, "/backtests?new=1");
  await screen.findByRole("heading", { name: "Run a backtest" });
  // the template's parameters with their ranges
  expect(await screen.findByText("Range 2 to 50, default 10")).toBeTruthy();
}

async function pickSymbol(symbol: string) {
  const input = screen.getByRole("combobox", { name: "Symbols" });
  fireEvent.click(input);
  fireEvent.change(input, { target: { value: symbol.slice(0, 2) } });
  // the dropdown's options are in a transition (hidden to the accessibility tree in jsdom)
  fireEvent.click(await screen.findByRole("option", { name: symbol, hidden: true }));
}

it("runs a backtest from the form: template inline, defaults, a meaningful name, then its page", async () => {
  const api = fakeApi(
    routes({
      "GET /backtests?limit=50": { status: 200, body: { items: [], next_token: null } },
      "POST /backtests": { status: 202, body: aBacktest({ job_id: "new" }) },
    }),
  );
  await openForm(api);
  await pickSymbol("ZENX");
  fireEvent.change(screen.getByLabelText("Start date"), { target: { value: "2022-01-01" } });
  fireEvent.click(screen.getByRole("button", { name: "Run backtest" }));
  await vi.waitFor(() => expect(screen.getByTestId("where").textContent).toBe("/backtests/new"));
  const sent = api.requests.find((r) => r.route === "POST /backtests")!.body as Record<string, unknown>;
  expect(sent).toMatchObject({
    dataset_id: "sample",
    symbols: ["ZENX"],
    start: "2022-01-01",
    cash: 10000,
    params: { fast: 10, slow: 30 },
    costs: { commission: 0.001, commission_fixed: 0, slippage_bps: 0 },
    name: "SMA cross · ZENX · 2022-01-01 → …",
    force: false,
  });
  expect((sent.strategy as { name: string }).name).toBe("SMA cross");
  expect(sent.strategy_id).toBeUndefined();
});

it("shows the server's messages at the fields they name", async () => {
  const api = fakeApi(
    routes({
      "GET /backtests?limit=50": { status: 200, body: { items: [], next_token: null } },
      "POST /backtests": {
        status: 422,
        body: {
          title: "Invalid input",
          status: 422,
          detail: "invalid request",
          errors: [
            { loc: ["body", "symbols", 0], msg: "not in dataset sample", type: "x" },
            { loc: ["body", "params", "fast"], msg: "fast must be at most 50", type: "x" },
            { loc: ["body", "start"], msg: "the period misses ZENX's data", type: "x" },
          ],
        },
      },
    }),
  );
  await openForm(api);
  await pickSymbol("ZENX");
  fireEvent.click(screen.getByRole("button", { name: "Run backtest" }));
  expect(await screen.findByText("ZENX: not in dataset sample")).toBeTruthy();
  expect(screen.getByText("fast must be at most 50")).toBeTruthy();
  const start = screen.getByLabelText("Start date");
  expect(start.getAttribute("aria-invalid")).toBe("true");
  expect(screen.getByLabelText("fast").getAttribute("aria-invalid")).toBe("true");
});

it("says clearly when a job cap refuses the run, with the server's Retry-After", async () => {
  const api = fakeApi(
    routes({
      "GET /backtests?limit=50": { status: 200, body: { items: [], next_token: null } },
      "POST /backtests": {
        status: 429,
        body: {
          title: "Too many requests",
          status: 429,
          detail: "Too many jobs at once: 10 queued or running, the cap is 10.",
          errors: [{ loc: [], msg: "cap", type: "max_concurrent_jobs" }],
        },
      },
    }),
  );
  const fetch = vi.fn(async (request: Request) => {
    const answer = await api.fetch(request);
    if (answer.status !== 429) return answer;
    const headers = new Headers(answer.headers);
    headers.set("Retry-After", "90");
    return new Response(await answer.text(), { status: 429, headers });
  });
  await openForm({ ...api, fetch: fetch as unknown as typeof globalThis.fetch });
  await pickSymbol("ZENX");
  fireEvent.click(screen.getByRole("button", { name: "Run backtest" }));
  const alert = await screen.findByTestId("job-cap");
  expect(alert.textContent).toContain("Job limit reached");
  expect(alert.textContent).toContain("Too many jobs at once: 10 queued or running, the cap is 10.");
  expect(alert.textContent).toContain("Try again in 1 min 30 sec.");
});

it("marks fields the server would refuse before sending anything", async () => {
  const api = fakeApi(routes({ "GET /backtests?limit=50": { status: 200, body: { items: [], next_token: null } } }));
  await openForm(api);
  const fast = screen.getByLabelText("fast");
  fireEvent.change(fast, { target: { value: "99" } });
  expect(await screen.findByText("Between 2 and 50")).toBeTruthy();
  expect(fast.getAttribute("aria-invalid")).toBe("true");
  fireEvent.click(screen.getByRole("button", { name: "Run backtest" }));
  expect(await screen.findByText("Choose at least one symbol")).toBeTruthy();
  expect(api.requests.some((r) => r.route === "POST /backtests")).toBe(false);
});
