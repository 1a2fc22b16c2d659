import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, expect, it, vi } from "vitest";
import type { Job, Leaderboard } from "../../api/client";
import { fakeApi, type Route } from "../../test/api";
import { FakeSocket } from "../../test/fakeSocket";
import { SAMPLE_DATASET as SAMPLE } from "../../test/fixtures";
import { aJob } from "../../test/jobs";
import { connected, push } from "../../test/realtime";
import { renderWithApp } from "../../test/render";
import { JobsPanel } from "./JobsPanel";

/** The listings as the server has them now: a test changes `server.optimizations` as jobs move on. */
const server: { optimizations: Job[]; backtests: Job[] } = { optimizations: [], backtests: [] };

function listing(optimizations: Job[], backtests: Job[] = []): Record<string, Route> {
  server.optimizations = optimizations;
  server.backtests = backtests;
  return {
    // one listing of every kind, newest first (GET /jobs)
    "GET /jobs?limit=10": () => ({
      status: 200,
      body: { items: [...server.optimizations, ...server.backtests].sort((a, b) => b.created_at.localeCompare(a.created_at)), next_token: null },
    }),
  };
}

function progress(done: number, rate: number | null, eta: number | null) {
  return {
    job_id: "j1",
    status: "running",
    shards_done: done,
    shards_total: 4,
    combos_done: done * 8,
    combos_total: 32,
    combos_per_second: rate,
    eta_seconds: eta,
  };
}

beforeEach(() => {
  FakeSocket.instances = [];
});

function setup(routes: Record<string, Route>, connection: Parameters<typeof renderWithApp>[1]["connection"] = null) {
  const api = fakeApi(routes);
  renderWithApp(<JobsPanel datasets={[SAMPLE]} />, { fetch: api.fetch, connection });
  return api;
}

it("follows a running job live: the bar moves on job.progress, then completion replaces it", async () => {
  const { connection, socket } = await connected();
  setup(listing([aJob({ status: "running" })]), connection);

  const row = await screen.findByTestId("job-j1");
  await vi.waitFor(() => expect(socket.sent).toContainEqual({ action: "subscribe", topics: ["job:j1"] }));
  const bar = within(row).getByRole("progressbar", { name: "Progress of Quick optimization" });
  expect(bar.getAttribute("aria-valuenow")).toBe("0");
  expect(within(row).getByText("synthetic sample data")).toBeTruthy();

  await push(socket, "job.progress", "job:j1", progress(1, 16, 1.5));
  expect(bar.getAttribute("aria-valuenow")).toBe("25");
  expect(within(row).getByTestId("job-progress-text").textContent).toBe("8 / 32 runs · 25 % · 16 runs/s · ETA 2 sec");

  await push(socket, "job.progress", "job:j1", progress(3, 12.5, 0.6));
  expect(within(row).getByTestId("job-progress-text").textContent).toBe("24 / 32 runs · 75 % · 13 runs/s · ETA 1 sec");

  const summary = { best_params: { fast: 10, slow: 40 }, best_objective: 1.234, combinations: 16 };
  server.optimizations = [
    aJob({ status: "succeeded", summary, progress: { shards_done: 4, shards_total: 4, combos_done: 32, combos_total: 32, percent: 100 } }),
  ];
  await push(socket, "job.completed", "job:j1", { job_id: "j1", status: "succeeded", summary });
  expect(within(row).queryByRole("progressbar")).toBeNull();
  expect(within(row).getByTestId("job-status").textContent).toBe("succeeded");
  expect(within(row).getByText("best objective 1.23 at fast=10, slow=40 · 16 combinations")).toBeTruthy();
  expect(within(row).queryByRole("button", { name: /Cancel/ })).toBeNull();
  await vi.waitFor(() => expect(socket.sent).toContainEqual({ action: "unsubscribe", topics: ["job:j1"] }));
});

it("shows a failed job's reason and does not follow final jobs", async () => {
  const { connection, socket } = await connected();
  setup(listing([aJob({ status: "running" }), aJob({ job_id: "old", status: "succeeded", created_at: "2024-12-31T00:00:00.000Z" })]), connection);

  const row = await screen.findByTestId("job-j1");
  await vi.waitFor(() => expect(socket.sent.filter((s) => s.action === "subscribe")).toEqual([{ action: "subscribe", topics: ["job:j1"] }]));
  server.optimizations = [aJob({ status: "failed", error: "a shard failed after its retries: shard 1 (ZENX): boom" }), server.optimizations[1]];
  await push(socket, "job.failed", "job:j1", { job_id: "j1", status: "failed", error: "a shard failed after its retries: shard 1 (ZENX): boom" });
  expect(within(row).getByTestId("job-status").textContent).toBe("failed");
  expect(within(row).getByText("a shard failed after its retries: shard 1 (ZENX): boom")).toBeTruthy();
  expect(within(row).queryByRole("progressbar")).toBeNull();
});

it("cancels a running job", async () => {
  const cancelled = aJob({ status: "cancelled", progress: { shards_done: 1, shards_total: 4, combos_done: 8, combos_total: 32, percent: 25 } });
  const { requests } = setup({ ...listing([aJob({ status: "running" })]), "POST /jobs/j1/cancel": { status: 200, body: cancelled } });

  fireEvent.click(await screen.findByRole("button", { name: "Cancel Quick optimization" }));
  expect(await screen.findByText("cancelled")).toBeTruthy();
  expect(requests.map((r) => r.route)).toContain("POST /jobs/j1/cancel");
  expect(screen.queryByRole("progressbar")).toBeNull();
});

it("submits the quick optimization with the SMA-cross template and follows the new job at the top", async () => {
  const template = { name: "SMA cross", parameters: { fast: {}, slow: {} } };
  const created = aJob({ job_id: "new", name: "Quick optimization", created_at: "2025-02-01T00:00:00.000Z" });
  const { connection, socket } = await connected();
  const { requests } = setup(
    {
      ...listing([aJob({ job_id: "old", status: "succeeded", name: "Earlier" })]),
      "GET /strategies/templates/sma_cross": {
        status: 200,
        body: { template: "sma_cross", name: "SMA cross", description: null, parameters: ["fast", "slow"], document: template },
      },
      "POST /optimizations": { status: 202, body: created },
    },
    connection,
  );
  await screen.findByTestId("job-old");

  expect(screen.getByText("synthetic sample data", { selector: "form *" })).toBeTruthy();
  fireEvent.change(screen.getByLabelText("Symbols"), { target: { value: "zenx, QUBIT ," } });
  fireEvent.change(screen.getByLabelText("slow max"), { target: { value: "50" } });
  fireEvent.click(screen.getByRole("button", { name: "Run optimization" }));

  await screen.findByTestId("job-new");
  expect(requests.find((r) => r.route === "POST /optimizations")?.body).toEqual({
    strategy: template,
    dataset_id: "sample",
    symbols: ["ZENX", "QUBIT"],
    space: { fast: { min: 5, max: 20, step: 5 }, slow: { min: 30, max: 50, step: 10 } },
    objective: { metric: "sharpe", direction: "maximize" },
    metrics: "screening",
    top_n: 20,
    name: "Quick optimization",
  });
  const rows = within(screen.getByRole("list", { name: "Recent jobs" })).getAllByRole("listitem");
  expect(rows.map((r) => r.dataset.testid)).toEqual(["job-new", "job-old"]);
  await vi.waitFor(() => expect(socket.sent).toContainEqual({ action: "subscribe", topics: ["job:new"] }));
});

it("shows each field's problem next to the field", async () => {
  const problem = {
    type: "about:blank",
    title: "Unprocessable Entity",
    status: 422,
    detail: "Request validation failed",
    errors: [
      { loc: ["body", "symbols", 1], msg: "NOPE is not in dataset 'sample'", type: "unknown_symbol" },
      { loc: ["body", "symbols", 2], msg: "String should match pattern", type: "string_pattern_mismatch" },
      { loc: ["body", "space", "fast", "min"], msg: "must be >= 2", type: "greater_than_equal" },
      { loc: ["body", "space"], msg: "9 combinations x 3 symbols = 27 runs exceed the limit of 20", type: "too_long" },
      { loc: ["body", "seed"], msg: "an unexpected field", type: "extra" },
    ],
  };
  const { requests } = setup({ ...listing([]), "POST /optimizations": { status: 422, body: problem } });
  await screen.findByText("No backtests or optimizations yet.");

  fireEvent.change(screen.getByLabelText("Stored strategy id"), { target: { value: "s1" } });
  fireEvent.change(screen.getByLabelText("Symbols"), { target: { value: "ZENX, NOPE, bad sym" } });
  fireEvent.change(screen.getByLabelText("fast min"), { target: { value: "1" } });
  fireEvent.click(screen.getByRole("button", { name: "Run optimization" }));

  const symbols = screen.getByLabelText("Symbols");
  await vi.waitFor(() => expect(symbols.getAttribute("aria-invalid")).toBe("true"));
  expect(requests.find((r) => r.route === "POST /optimizations")?.body).toMatchObject({ strategy_id: "s1", symbols: ["ZENX", "NOPE", "BAD SYM"] });
  const describedBy = symbols.getAttribute("aria-describedby")!.split(" ");
  expect(describedBy.map((id) => document.getElementById(id)?.textContent)).toContain("NOPE is not in dataset 'sample'; BAD SYM: String should match pattern");
  expect(screen.getByRole("group", { name: "fast SMA window" }).textContent).toContain("must be >= 2");
  expect(screen.getByRole("group", { name: "slow SMA window" }).textContent).not.toContain("must be");
  expect(screen.getByText("9 combinations x 3 symbols = 27 runs exceed the limit of 20")).toBeTruthy();
  expect(screen.getByRole("alert").textContent).toBe("Request validation failed · body.seed: an unexpected field");
  expect(screen.getByLabelText("Dataset").getAttribute("aria-invalid")).not.toBe("true");
});

it("asks for a missing range bound instead of sending it", async () => {
  const { requests } = setup(listing([]));
  await screen.findByText("No backtests or optimizations yet.");

  fireEvent.change(screen.getByLabelText("slow step"), { target: { value: "" } });
  fireEvent.click(screen.getByRole("button", { name: "Run optimization" }));
  expect(await screen.findByText("slow step: enter a number")).toBeTruthy();
  expect(screen.getByLabelText("slow step").getAttribute("aria-invalid")).toBe("true");
  expect(screen.getByLabelText("fast step").getAttribute("aria-invalid")).not.toBe("true");
  expect(requests.map((r) => r.route)).not.toContain("POST /optimizations");
});

it("shows a succeeded optimization's leaderboard when clicked", async () => {
  const done = aJob({ status: "succeeded", summary: { best_params: { fast: 10, slow: 40 }, best_objective: 1.5, combinations: 16 } });
  const board: Leaderboard = {
    objective: { metric: "sharpe", direction: "maximize" },
    rows: [
      { rank: 1, combination: 7, params: { fast: 10, slow: 40 }, metrics: { sharpe: 1.5, return_pct: 42.123, max_drawdown_pct: -12.5, trades: 7.5 } },
      { rank: 2, combination: 3, params: { fast: 5, slow: 40 }, metrics: { sharpe: 1.25, return_pct: 30, max_drawdown_pct: null, trades: 9 } },
    ],
  };
  const { requests } = setup({ ...listing([done]), "GET /optimizations/j1/leaderboard?limit=20": { status: 200, body: board } });

  const title = await screen.findByRole("button", { name: "Quick optimization" });
  expect(title.getAttribute("aria-expanded")).toBe("false");
  fireEvent.click(title);
  const table = await screen.findByRole("table", { name: "Leaderboard of Quick optimization" });
  expect(title.getAttribute("aria-expanded")).toBe("true");
  expect(requests.map((r) => r.route)).toContain("GET /optimizations/j1/leaderboard?limit=20");
  const cells = within(table)
    .getAllByRole("row")
    .map((row) => [...row.querySelectorAll("th, td")].map((cell) => cell.textContent));
  expect(cells).toEqual([
    ["rank", "fast", "slow", "Sharpe (objective)", "return %", "max drawdown %", "trades"],
    ["1", "10", "40", "1.5", "42.12", "-12.5", "7.5"],
    ["2", "5", "40", "1.25", "30", "—", "9"],
  ]);
  expect(within(table).getByText("synthetic sample data")).toBeTruthy();

  fireEvent.click(title);
  expect(screen.queryByRole("table")).toBeNull();
});
