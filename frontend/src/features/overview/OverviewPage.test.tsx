import { screen, within } from "@testing-library/react";
import { expect, it } from "vitest";
import { fakeApi } from "../../test/api";
import { aJob } from "../../test/jobs";
import { renderWithApp } from "../../test/render";
import { OverviewPage } from "./OverviewPage";

const kind = { total: 0, active: 0, by_status: {}, success_rate: null, last_24h: 0, average_duration_seconds: null };
/** The server's counters: they count jobs no listing page holds (here 40 of them). */
const STATS = {
  total: 43,
  active: 1,
  by_status: { succeeded: 21, failed: 21, cancelled: 0, stopped: 0 },
  success_rate: 0.5,
  last_24h: 2,
  average_duration_seconds: 60,
  by_kind: { import: kind, backtest: kind, optimization: kind, pipeline: kind },
};

it("puts research first: cards from the job stats and datasets, recent jobs of every kind, the data at hand", async () => {
  const now = new Date();
  const iso = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const optimizations = [
    aJob({ job_id: "o1", name: "Sweep A", status: "succeeded", created_at: iso(10), started_at: iso(10), finished_at: iso(9) }),
    aJob({ job_id: "o2", name: "Sweep B", status: "running", created_at: iso(5), started_at: iso(5) }),
  ];
  const backtests = [
    aJob({
      job_id: "b1",
      kind: "backtest",
      name: "Run C",
      status: "failed",
      error: "no bars",
      created_at: iso(3000),
      started_at: iso(3000),
      finished_at: iso(2999),
    }),
  ];
  const datasets = [
    {
      dataset_id: "sample",
      name: "Sample universe (synthetic)",
      status: "ready",
      source: "sample",
      synthetic: true,
      symbols_count: 60,
      rows: 1000,
      start: "2014-01-02",
      end: "2025-12-31",
      created_at: "x",
      updated_at: "x",
    },
  ];
  const { fetch } = fakeApi({
    "GET /jobs?limit=12": { status: 200, body: { items: [optimizations[1], optimizations[0], ...backtests], next_token: null } },
    "GET /jobs/stats": { status: 200, body: STATS },
    "GET /datasets?limit=100": { status: 200, body: { items: datasets, next_token: null } },
    "GET /notifications/unread-count": { status: 200, body: { unread: 0 } },
  });
  renderWithApp(<OverviewPage />, { fetch });
  expect(await screen.findByRole("heading", { level: 1, name: "Overview" })).toBeTruthy();
  await screen.findByText("Sweep B");
  expect((await screen.findByTestId("card-jobs-value")).textContent).toBe("43");
  expect(screen.getByTestId("card-success-value").textContent).toBe("50%");
  expect(screen.getByTestId("card-last24h-value").textContent).toBe("2");
  expect(screen.getByTestId("card-duration-value").textContent).toBe("1 min");
  expect(screen.getByTestId("card-coverage-value").textContent).toBe("60 symbols");
  const recent = within(screen.getByRole("list", { name: "Recent jobs" })).getAllByRole("listitem");
  expect(recent.map((row) => row.dataset.testid)).toEqual(["job-o2", "job-o1", "job-b1"]);
  expect(within(recent[0]).getByRole("progressbar")).toBeTruthy();
  const data = screen.getByRole("region", { name: "Datasets" });
  expect(within(data).getByText("Sample universe (synthetic)")).toBeTruthy();
  expect(within(data).getByText("synthetic sample data")).toBeTruthy();
  expect(screen.getByRole("form", { name: "Quick optimization" })).toBeTruthy();
});
