import { screen, within } from "@testing-library/react";
import { expect, it } from "vitest";
import { fakeApi } from "../../test/api";
import { aJob } from "../../test/jobs";
import { renderWithApp } from "../../test/render";
import { OverviewPage } from "./OverviewPage";

it("puts research first: cards from the job and dataset lists, recent jobs, the data at hand", async () => {
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
    "GET /optimizations": { status: 200, body: { items: optimizations, next_token: null } },
    "GET /backtests": { status: 200, body: { items: backtests, next_token: null } },
    "GET /datasets?limit=100": { status: 200, body: { items: datasets, next_token: null } },
    "GET /notifications/unread-count": { status: 200, body: { unread: 0 } },
  });
  renderWithApp(<OverviewPage />, { fetch });
  expect(await screen.findByRole("heading", { level: 1, name: "Overview" })).toBeTruthy();
  expect((await screen.findByTestId("card-jobs-value")).textContent).toBe("3");
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
