import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { beforeEach, expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { FakeSocket } from "../../test/fakeSocket";
import { aJob } from "../../test/jobs";
import { connected, push } from "../../test/realtime";
import { renderWithApp } from "../../test/render";
import { mergeLines } from "./api";
import JobPage from "./JobPage";
import JobsPage from "./JobsPage";
import { progressPoints } from "./ProgressChart";

vi.mock("lightweight-charts", async () => (await import("../backtests/chartMock")).chartMock());

beforeEach(() => {
  FakeSocket.instances = [];
});

const kind = { total: 1, active: 0, by_status: {}, success_rate: 1, last_24h: 1, average_duration_seconds: 3 };
const STATS = {
  total: 4,
  active: 1,
  by_status: { succeeded: 2, failed: 1, cancelled: 0, stopped: 0 },
  success_rate: 2 / 3,
  last_24h: 4,
  average_duration_seconds: 90,
  by_kind: { import: kind, backtest: kind, optimization: kind, pipeline: kind },
};
const JOBS = [
  aJob({ job_id: "p1", kind: "pipeline", name: "Evening scan", status: "running" }),
  aJob({ job_id: "i1", kind: "import", name: "prices.csv", status: "succeeded" }),
  aJob({ job_id: "b1", kind: "backtest", name: "Cross", status: "failed", error: "no bars" }),
];

it("lists every kind with the stats, and sends the filters to the server", async () => {
  const api = fakeApi({
    "GET /jobs/stats": { status: 200, body: STATS },
    "GET /jobs?limit=25": { status: 200, body: { items: JOBS, next_token: "more" } },
    "GET /jobs?limit=25&next_token=more": { status: 200, body: { items: [aJob({ job_id: "o1", name: "Sweep" })], next_token: null } },
    "GET /jobs?kind=import&limit=25": { status: 200, body: { items: [JOBS[1]], next_token: null } },
    "GET /jobs?kind=import&name=PRICES&limit=25": { status: 200, body: { items: [], next_token: null } },
  });
  renderWithApp(<JobsPage />, { fetch: api.fetch });
  expect(await screen.findByRole("heading", { level: 1, name: "Jobs" })).toBeTruthy();
  expect((await screen.findByTestId("stat-total-value")).textContent).toBe("4");
  expect(screen.getByTestId("stat-success-value").textContent).toBe("66.7%");
  expect(screen.getByTestId("stat-duration-value").textContent).toBe("1 min 30 sec");
  const rows = await screen.findAllByTestId("job-row");
  expect(rows.map((row) => row.dataset.kind)).toEqual(["pipeline", "import", "backtest"]);
  expect(within(rows[0]).getByRole("link", { name: "Evening scan" }).getAttribute("href")).toBe("/jobs/p1");
  fireEvent.click(screen.getByRole("button", { name: "Load more" }));
  expect(await screen.findByRole("link", { name: "Sweep" })).toBeTruthy();

  fireEvent.click(screen.getAllByLabelText("Kind")[0]);
  fireEvent.click(await screen.findByRole("option", { name: "Import", hidden: true }));
  await vi.waitFor(() => expect(screen.getAllByTestId("job-row")).toHaveLength(1));
  fireEvent.change(screen.getByRole("searchbox", { name: "Name" }), { target: { value: "PRICES" } });
  expect(await screen.findByText("No job matches these filters.")).toBeTruthy();
});

const RUNNING = aJob({ job_id: "o1", kind: "optimization", name: "Sweep", status: "running", started_at: "2025-01-01T00:00:00.000Z" });

it("shows a job's timeline, progress chart and log, follows job.log live and cancels it", async () => {
  const line = (seq: string, message: string) => ({ job_id: "o1", seq, time: "2025-01-01T00:00:01.000Z", level: "info", message, fields: { shard: 1 } });
  const api = fakeApi({
    "GET /jobs/o1": { status: 200, body: RUNNING },
    "GET /jobs/o1/timeline": {
      status: 200,
      body: {
        job_id: "o1",
        status: "running",
        entries: [
          { at: "2025-01-01T00:00:00.000Z", status: "submitted", cause: "submitted" },
          { at: "2025-01-01T00:00:00.500Z", status: "running", cause: "planned 2 shards, 8 runs" },
        ],
      },
    },
    "GET /jobs/o1/progress": {
      status: 200,
      body: { job_id: "o1", status: "running", samples: [{ at: "2025-01-01T00:00:02.000Z", done: 4, total: 8, shards_done: 1, shards_total: 2, rate: 2 }] },
    },
    "GET /jobs/o1/logs?tail=200": { status: 200, body: { items: [line("1", "planned 2 shards")], next_token: null } },
    "POST /jobs/o1/cancel": { status: 200, body: { ...RUNNING, status: "cancelled" } },
  });
  const { connection, socket } = await connected();
  renderWithApp(
    <Routes>
      <Route path="/jobs/:jobId" element={<JobPage />} />
    </Routes>,
    { fetch: api.fetch, connection, path: "/jobs/o1" },
  );
  expect(await screen.findByRole("heading", { level: 1, name: "Sweep" })).toBeTruthy();
  const timeline = await screen.findAllByTestId("timeline-entry");
  expect(timeline.map((entry) => entry.textContent)).toEqual([expect.stringContaining("submitted"), expect.stringContaining("planned 2 shards, 8 runs")]);
  expect(await screen.findByTestId("progress-chart")).toBeTruthy();
  expect(await screen.findByText("planned 2 shards")).toBeTruthy();
  await push(socket, "job.log", "job:o1", line("2", "shard 0 (ZENX) done"));
  expect(await screen.findByText("shard 0 (ZENX) done")).toBeTruthy();
  expect(within(screen.getByRole("log")).getAllByTestId("log-line")).toHaveLength(2);
  expect(screen.getByRole("link", { name: "Open the results" }).getAttribute("href")).toBe("/optimizations/o1");

  fireEvent.click(within(screen.getByTestId("job-controls")).getByRole("button", { name: "Cancel" }));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toContain("POST /jobs/o1/cancel"));
});

it("merges log lines by seq and keeps progress times strictly increasing", () => {
  const line = (seq: string) => ({ job_id: "j", seq, time: "t", level: "info" as const, message: seq, fields: {} });
  expect(mergeLines([line("2"), line("1")], [line("3"), line("2")]).map((l) => l.seq)).toEqual(["1", "2", "3"]);
  expect(mergeLines([line("1"), line("2")], [line("3")], 2).map((l) => l.seq)).toEqual(["2", "3"]);
  const sample = (at: string, done: number) => ({ at, done, total: 10, shards_done: 0, shards_total: 1, rate: null });
  expect(progressPoints([sample("2025-01-01T00:00:01.100Z", 1), sample("2025-01-01T00:00:01.900Z", 2), sample("2025-01-01T00:00:03.000Z", 10)])).toEqual([
    { time: 1735689601, value: 20 },
    { time: 1735689603, value: 100 },
  ]);
});
