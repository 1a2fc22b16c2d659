import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import NewWorkflowPage from "./NewWorkflowPage";
import WorkflowPage from "./WorkflowPage";
import WorkflowsPage from "./WorkflowsPage";

const PRUNE = { kind: "command", command: "prune-jobs", params: { days: 30 } };
const WORKFLOW = {
  workflow_id: "w1",
  name: "Evening",
  description: null,
  steps: [{ name: "prune", target: PRUNE }, { target: { kind: "backtest", request: { dataset_id: "sample" } } }],
  version: 3,
  runs: 1,
  last_run_id: "r1",
  created_at: "2030-01-01T00:00:00Z",
  updated_at: "2030-01-01T00:00:00Z",
};
const CATALOGUE = [
  {
    name: "prune-jobs",
    title: "Prune old jobs",
    description: "d",
    params_schema: { type: "object", properties: { days: { type: "integer", title: "Days" } }, required: ["days"] },
  },
];
const PROGRESS = { shards_done: 1, shards_total: 2, combos_done: 1, combos_total: 2, percent: 50 };
const RUN = {
  job_id: "r1",
  kind: "workflow",
  status: "failed",
  name: "Evening",
  strategy_id: null,
  strategy_version: null,
  strategy_name: "Evening",
  dataset_id: "",
  symbols: [],
  progress: PROGRESS,
  summary: null,
  error: "step 2 (backtest) failed: no bars",
  cached: false,
  created_at: "2030-01-01T00:00:00Z",
  started_at: "2030-01-01T00:00:01Z",
  finished_at: "2030-01-01T00:01:00Z",
  updated_at: "2030-01-01T00:01:00Z",
  workflow_id: "w1",
  failed_step: 1,
  steps: [
    { index: 0, name: null, label: "command prune-jobs", kind: "command", command: "prune-jobs", job_id: "j1", status: "succeeded", error: null },
    { index: 1, name: "scan", label: "scan", kind: "backtest", command: null, job_id: "j2", status: "failed", error: "no bars" },
  ],
};

it("lists workflows with their steps in order", async () => {
  const api = fakeApi({ "GET /workflows?limit=100": { status: 200, body: { items: [WORKFLOW], next_token: null } } });
  renderWithApp(<WorkflowsPage />, { fetch: api.fetch });
  const [row] = await screen.findAllByTestId("workflow-row");
  expect(within(row).getByRole("link", { name: "Evening" }).getAttribute("href")).toBe("/workflows/w1");
  expect(within(row).getByText("prune → Backtest")).toBeTruthy();
});

it("builds two steps, reorders them, and shows the server's messages at the step's field", async () => {
  const api = fakeApi({
    "GET /commands": { status: 200, body: CATALOGUE },
    "POST /workflows": {
      status: 422,
      body: {
        type: "about:blank",
        title: "Invalid input",
        status: 422,
        detail: "1 step(s) cannot be submitted",
        errors: [{ loc: ["body", "steps", 1, "target", "params", "days"], msg: "Input should be greater than or equal to 1", type: "greater_than_equal" }],
      },
    },
  });
  renderWithApp(
    <Routes>
      <Route path="/workflows/new" element={<NewWorkflowPage />} />
    </Routes>,
    { fetch: api.fetch, path: "/workflows/new" },
  );
  fireEvent.change(await screen.findByTestId("workflow-name"), { target: { value: "Nightly" } });
  fireEvent.click(screen.getAllByTestId("step-kind")[0]);
  fireEvent.click(await screen.findByRole("option", { name: "Pipeline run", hidden: true }));
  fireEvent.click(screen.getByTestId("add-step"));
  const second = screen.getAllByTestId("workflow-step")[1];
  fireEvent.click(within(second).getByTestId("step-command"));
  fireEvent.click(await screen.findByRole("option", { name: "Prune old jobs", hidden: true }));
  fireEvent.change(await within(second).findByRole("textbox", { name: /Days/ }), { target: { value: "0" } });
  fireEvent.click(screen.getByRole("button", { name: "Move step 2 up" }));
  fireEvent.click(screen.getByRole("button", { name: "Move step 1 down" }));
  fireEvent.click(screen.getByRole("button", { name: "Create workflow" }));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toContain("POST /workflows"));
  const sent = api.requests.find((r) => r.route === "POST /workflows")?.body as { name: string; steps: { target: { kind: string } }[] };
  expect(sent.name).toBe("Nightly");
  expect(sent.steps.map((s) => s.target.kind)).toEqual(["pipeline", "command"]);
  expect(sent.steps[1].target).toMatchObject({ command: "prune-jobs", params: { days: 0 } });
  const step2 = screen.getAllByTestId("workflow-step")[1];
  expect(await within(step2).findByText("Input should be greater than or equal to 1")).toBeTruthy();
}, 15_000);

it("runs a workflow and shows each step's status with a link to its job", async () => {
  const api = fakeApi({
    "GET /workflows/w1": { status: 200, body: WORKFLOW },
    "GET /commands": { status: 200, body: CATALOGUE },
    "GET /workflows/w1/runs?limit=20": { status: 200, body: { items: [RUN], next_token: null } },
    "POST /workflows/w1/runs": { status: 202, body: { ...RUN, status: "queued", steps: undefined } },
  });
  renderWithApp(
    <Routes>
      <Route path="/workflows/:workflowId" element={<WorkflowPage />} />
    </Routes>,
    { fetch: api.fetch, path: "/workflows/w1" },
  );
  expect(await screen.findByRole("heading", { level: 1, name: "Evening" })).toBeTruthy();
  const steps = await screen.findAllByTestId("run-step");
  expect(within(steps[0]).getByText("succeeded")).toBeTruthy();
  expect(await within(steps[0]).findByText("1. Prune old jobs")).toBeTruthy(); // the catalogue's title, not the server's label
  expect(within(steps[1]).getByText("scan")).toBeTruthy();
  expect(within(steps[0]).getByTestId("run-step-link").getAttribute("href")).toBe("/jobs/j1");
  expect(within(steps[1]).getByText("no bars")).toBeTruthy();
  expect(screen.getByTestId("run-error").textContent).toBe("step 2 (backtest) failed: no bars");
  fireEvent.click(screen.getByTestId("workflow-run-button"));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toContain("POST /workflows/w1/runs"));
});
