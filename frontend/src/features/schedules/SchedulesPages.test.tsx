import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import ScheduleEditorPage from "./ScheduleEditorPage";
import SchedulePage from "./SchedulePage";
import SchedulesPage from "./SchedulesPage";

const SCHEDULE = {
  schedule_id: "s1",
  name: "Evening scan",
  expression: "cron(30 17 ? * MON-FRI *)",
  timezone: "UTC",
  target: { kind: "command", command: "prune-jobs", params: { days: 30 } },
  enabled: true,
  next_fire_times: ["2030-01-02T17:30:00Z", "2030-01-03T17:30:00Z"],
  fires: 1,
  last_fire: { at: "2030-01-01T17:30:01Z", status: "submitted", job_id: "j1", error: null },
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
};

it("lists schedules and pauses one from its toggle", async () => {
  const api = fakeApi({
    "GET /schedules?limit=100": { status: 200, body: { items: [SCHEDULE], next_token: null } },
    "POST /schedules/s1/pause": { status: 200, body: { ...SCHEDULE, enabled: false, next_fire_times: [] } },
  });
  renderWithApp(<SchedulesPage />, { fetch: api.fetch });
  const [row] = await screen.findAllByTestId("schedule-row");
  expect(within(row).getByRole("link", { name: "Evening scan" }).getAttribute("href")).toBe("/schedules/s1");
  expect(within(row).getByText("job started")).toBeTruthy();
  fireEvent.click(within(row).getByRole("switch", { name: "Enable Evening scan" }));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toContain("POST /schedules/s1/pause"));
});

it("shows the next fire times and the fire history with links to the jobs", async () => {
  const api = fakeApi({
    "GET /schedules/s1": { status: 200, body: SCHEDULE },
    "GET /schedules/s1/fires?limit=50": {
      status: 200,
      body: {
        items: [
          {
            scheduled_time: "2030-01-01T17:30:00Z",
            fired_at: "2030-01-01T17:30:01Z",
            status: "submitted",
            error: null,
            job_id: "0193job00001",
            job_kind: "command",
            job_status: "succeeded",
          },
          {
            scheduled_time: "2029-12-31T17:30:00Z",
            fired_at: "2029-12-31T17:30:01Z",
            status: "failed",
            error: "strategy 's1' not found",
            job_id: null,
            job_kind: "backtest",
            job_status: null,
          },
        ],
        next_token: null,
      },
    },
  });
  renderWithApp(
    <Routes>
      <Route path="/schedules/:scheduleId" element={<SchedulePage />} />
    </Routes>,
    { fetch: api.fetch, path: "/schedules/s1" },
  );
  expect(await screen.findByRole("heading", { level: 1, name: "Evening scan" })).toBeTruthy();
  expect(within(screen.getByTestId("next-fires")).getAllByRole("listitem")).toHaveLength(2);
  const rows = await screen.findAllByTestId("fire-row");
  expect(within(rows[0]).getByTestId("fire-job").getAttribute("href")).toBe("/jobs/0193job00001");
  expect(within(rows[0]).getByTestId("fire-job-status").textContent).toBe("succeeded");
  expect(within(rows[1]).getByText("strategy 's1' not found")).toBeTruthy();
});

it("builds the expression with the helper, previews its fire times and creates a command schedule", async () => {
  const api = fakeApi({
    "GET /commands": {
      status: 200,
      body: [
        {
          name: "prune-jobs",
          title: "Prune old jobs",
          description: "d",
          params_schema: { type: "object", properties: { days: { type: "integer", title: "Days" } }, required: ["days"] },
        },
      ],
    },
    "POST /schedules/preview": (body) => ({
      status: 200,
      body: { expression: (body as { expression: string }).expression, timezone: "UTC", next_fire_times: ["2030-01-02T17:30:00Z"] },
    }),
    "POST /schedules": { status: 201, body: SCHEDULE },
    "GET /schedules/s1": { status: 200, body: SCHEDULE },
    "GET /schedules/s1/fires?limit=50": { status: 200, body: { items: [], next_token: null } },
  });
  renderWithApp(
    <Routes>
      <Route path="/schedules/new" element={<ScheduleEditorPage />} />
      <Route path="/schedules/:scheduleId" element={<SchedulePage />} />
    </Routes>,
    { fetch: api.fetch, path: "/schedules/new" },
  );
  fireEvent.change(await screen.findByRole("textbox", { name: /Name/ }), { target: { value: "Nightly prune" } });
  expect(screen.getByTestId("schedule-expression-value").textContent).toBe("cron(30 17 ? * MON-FRI *)");
  expect(await within(await screen.findByTestId("preview-fires")).findAllByRole("listitem")).toHaveLength(1);
  fireEvent.click(screen.getByTestId("schedule-command"));
  fireEvent.click(await screen.findByRole("option", { name: "Prune old jobs", hidden: true }));
  fireEvent.change(await screen.findByRole("textbox", { name: /Days/ }), { target: { value: "30" } });
  fireEvent.click(screen.getByRole("button", { name: "Create schedule" }));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toContain("POST /schedules"));
  const sent = api.requests.find((r) => r.route === "POST /schedules")?.body as Record<string, unknown>;
  expect(sent).toMatchObject({
    name: "Nightly prune",
    expression: "cron(30 17 ? * MON-FRI *)",
    target: { kind: "command", command: "prune-jobs", params: { days: 30 } },
  });
  expect(await screen.findByRole("heading", { level: 1, name: "Evening scan" })).toBeTruthy();
});

it("schedules a workflow run, chosen from your workflows", async () => {
  const api = fakeApi({
    "GET /commands": { status: 200, body: [] },
    "GET /workflows?limit=100": {
      status: 200,
      body: {
        items: [
          {
            workflow_id: "w1",
            name: "Evening",
            description: null,
            steps: [],
            version: 1,
            runs: 0,
            last_run_id: null,
            created_at: "2030-01-01T00:00:00Z",
            updated_at: "2030-01-01T00:00:00Z",
          },
        ],
        next_token: null,
      },
    },
    "POST /schedules/preview": (body) => ({
      status: 200,
      body: { expression: (body as { expression: string }).expression, timezone: "UTC", next_fire_times: [] },
    }),
    "POST /schedules": {
      status: 404,
      body: {
        type: "about:blank",
        title: "Not found",
        status: 404,
        detail: "workflow 'w1' not found",
        errors: [{ loc: ["body", "target", "workflow_id"], msg: "no such workflow", type: "not_found" }],
      },
    },
  });
  renderWithApp(
    <Routes>
      <Route path="/schedules/new" element={<ScheduleEditorPage />} />
    </Routes>,
    { fetch: api.fetch, path: "/schedules/new" },
  );
  fireEvent.change(await screen.findByRole("textbox", { name: /Name/ }), { target: { value: "Nightly flow" } });
  fireEvent.click(screen.getByTestId("schedule-kind"));
  fireEvent.click(await screen.findByRole("option", { name: "Workflow run", hidden: true }));
  fireEvent.click(await screen.findByTestId("schedule-workflow"));
  fireEvent.click(await screen.findByRole("option", { name: "Evening", hidden: true }));
  fireEvent.click(screen.getByRole("button", { name: "Create schedule" }));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toContain("POST /schedules"));
  const sent = api.requests.find((r) => r.route === "POST /schedules")?.body as Record<string, unknown>;
  expect(sent.target).toEqual({ kind: "workflow", workflow_id: "w1" });
  expect(await screen.findByText("no such workflow")).toBeTruthy();
}, 15_000);
