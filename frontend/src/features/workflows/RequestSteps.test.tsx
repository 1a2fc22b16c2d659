import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { jobFormRoutes, SMA_TEMPLATE } from "../../test/fixtures";
import { renderWithApp } from "../../test/render";
import NewWorkflowPage from "./NewWorkflowPage";
import WorkflowPage from "./WorkflowPage";

const REFUSED = {
  type: "about:blank",
  title: "Invalid input",
  status: 422,
  detail: "1 step(s) cannot be submitted",
  errors: [{ loc: ["body", "steps", 0, "target", "request", "params", "fast"], msg: "fast must be at most 50", type: "value_error" }],
};

function routes() {
  return {
    ...jobFormRoutes(),
    "GET /commands": { status: 200, body: [] },
    "GET /symbols": { status: 200, body: { items: [{ symbol: "ZENX", description: null, synthetic: true, datasets: [{ dataset_id: "sample" }] }] } },
    "POST /workflows": { status: 422, body: REFUSED },
  };
}

/** Workflow w1 as saved, one backtest step with `request`. */
function savedWorkflow(request: Record<string, unknown>) {
  return {
    workflow_id: "w1",
    name: "Evening",
    description: null,
    steps: [{ target: { kind: "backtest", request } }],
    version: 1,
    runs: 0,
    last_run_id: null,
    created_at: "2030-01-01T00:00:00Z",
    updated_at: "2030-01-01T00:00:00Z",
  };
}

/** The new-workflow page or a saved workflow's page, on the fake API. */
function openPage(api: ReturnType<typeof fakeApi>, path: "/workflows/new" | "/workflows/w1") {
  renderWithApp(
    <Routes>
      <Route path="/workflows/new" element={<NewWorkflowPage />} />
      <Route path="/workflows/:workflowId" element={<WorkflowPage />} />
    </Routes>,
    { fetch: api.fetch, path },
  );
}

it("builds a backtest step with the run form, keeps its JSON view in sync, and shows the server's message at the step's field", async () => {
  const api = fakeApi(routes());
  openPage(api, "/workflows/new");
  fireEvent.change(await screen.findByTestId("workflow-name"), { target: { value: "Nightly" } });
  fireEvent.click(screen.getByTestId("step-kind"));
  fireEvent.click(await screen.findByRole("option", { name: "Backtest", hidden: true }));
  const step = screen.getByTestId("workflow-step");
  // The backtest page's own fields, in the step.
  const symbols = await within(step).findByRole("combobox", { name: "Symbols" });
  fireEvent.click(symbols);
  fireEvent.change(symbols, { target: { value: "ZE" } });
  fireEvent.click(await screen.findByRole("option", { name: "ZENX", hidden: true }));
  fireEvent.change(await within(step).findByLabelText("fast"), { target: { value: "60" } });

  // The JSON view shows what the form holds; an edit there comes back to the form.
  fireEvent.click(within(step).getByText("JSON"));
  const text = within(step).getByTestId("step-request") as HTMLTextAreaElement;
  const shown = JSON.parse(text.value) as Record<string, unknown>;
  expect(shown).toMatchObject({ dataset_id: "sample", symbols: ["ZENX"], params: { fast: 60, slow: 30 } });
  fireEvent.change(text, { target: { value: JSON.stringify({ ...shown, start: "2022-01-03" }) } });
  fireEvent.click(within(step).getByText("Form"));
  expect(((await within(step).findByLabelText("Start date")) as HTMLInputElement).value).toBe("2022-01-03");

  fireEvent.click(screen.getByRole("button", { name: "Create workflow" }));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toContain("POST /workflows"));
  const sent = api.requests.find((r) => r.route === "POST /workflows")?.body as { steps: { target: { kind: string; request: Record<string, unknown> } }[] };
  expect(sent.steps).toHaveLength(1);
  expect(sent.steps[0].target.kind).toBe("backtest");
  expect(sent.steps[0].target.request).toMatchObject({
    dataset_id: "sample",
    symbols: ["ZENX"],
    start: "2022-01-03",
    params: { fast: 60, slow: 30 },
    cash: 10000,
  });
  expect((sent.steps[0].target.request.strategy as { name: string }).name).toBe("SMA cross");
  expect(sent.steps[0].target.request.name).toBeUndefined(); // no invented name: the job names itself when it runs
  // steps.0.target.request.params.fast → the step's "fast" field.
  expect(await within(step).findByText("fast must be at most 50")).toBeTruthy();
  expect(within(step).getByLabelText("fast").getAttribute("aria-invalid")).toBe("true");
}, 20_000);

it("shows a saved backtest step in the form as it was saved, and leaves it untouched", async () => {
  const request = { strategy_id: "s1", dataset_id: "sample", symbols: ["ZENX"], params: { fast: 12 } };
  const workflow = savedWorkflow(request);
  const api = fakeApi({
    ...routes(),
    "GET /workflows/w1": { status: 200, body: workflow },
    "GET /strategies/s1": { status: 200, body: { strategy_id: "s1", name: "Mine", latest_version: 1, document: SMA_TEMPLATE.document } },
    "GET /workflows/w1/runs?limit=20": { status: 200, body: { items: [], next_token: null } },
    "PUT /workflows/w1": { status: 200, body: workflow },
  });
  openPage(api, "/workflows/w1");
  const step = await screen.findByTestId("workflow-step");
  expect(((await within(step).findByLabelText("fast")) as HTMLInputElement).value).toBe("12");
  fireEvent.click(within(step).getByText("JSON"));
  expect(JSON.parse((within(step).getByTestId("step-request") as HTMLTextAreaElement).value)).toEqual(request);
}, 20_000);

it("keeps a saved step's inline template (shown as that template) when another field is edited", async () => {
  const request = { strategy: SMA_TEMPLATE.document, dataset_id: "sample", symbols: ["ZENX"], params: { fast: 12, slow: 30 } };
  const workflow = savedWorkflow(request);
  const stored = { strategy_id: "s9", name: "Newest stored", latest_version: 1, created_at: "", updated_at: "" };
  const api = fakeApi({
    ...routes(),
    "GET /strategies?limit=200": { status: 200, body: { items: [stored], next_token: null } }, // the run form's default otherwise
    "GET /workflows/w1": { status: 200, body: workflow },
    "GET /workflows/w1/runs?limit=20": { status: 200, body: { items: [], next_token: null } },
    "PUT /workflows/w1": { status: 200, body: workflow },
  });
  openPage(api, "/workflows/w1");
  const step = await screen.findByTestId("workflow-step");
  expect(await within(step).findByDisplayValue("SMA cross")).toBeTruthy(); // not the run form's default (the newest stored)
  fireEvent.change(within(step).getByLabelText("Start date"), { target: { value: "2022-01-03" } });
  fireEvent.click(screen.getByTestId("workflow-save"));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toContain("PUT /workflows/w1"));
  const sent = api.requests.find((r) => r.route === "PUT /workflows/w1")?.body as { steps: { target: { request: Record<string, unknown> } }[] };
  expect(sent.steps[0].target.request).toMatchObject({ dataset_id: "sample", symbols: ["ZENX"], start: "2022-01-03", params: { fast: 12, slow: 30 } });
  expect((sent.steps[0].target.request.strategy as { name: string }).name).toBe("SMA cross");
  expect(sent.steps[0].target.request.strategy_id).toBeUndefined();
}, 20_000);

it("repeats no element id when two steps use the same run form", async () => {
  const api = fakeApi(routes());
  openPage(api, "/workflows/new");
  await screen.findByTestId("workflow-name");
  for (const [index, kind] of ["Optimization", "Optimization", "Pipeline run", "Pipeline run"].entries()) {
    if (index > 0) fireEvent.click(screen.getByTestId("add-step"));
    const select = screen.getAllByTestId("step-kind")[index];
    fireEvent.click(select);
    const options = await vi.waitFor(() => document.getElementById(select.getAttribute("aria-controls") ?? "")!);
    fireEvent.click(within(options).getByRole("option", { name: kind, hidden: true }));
  }
  await vi.waitFor(() => expect(screen.getAllByTestId("param-fast")).toHaveLength(2));
  await vi.waitFor(() => expect(screen.getAllByRole("radiogroup", { name: "Mode" })).toHaveLength(2));
  const ids = [...document.querySelectorAll("[id]")].map((element) => element.id);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  // and every label reference still finds its element
  for (const element of document.querySelectorAll("[aria-labelledby]")) {
    for (const id of element.getAttribute("aria-labelledby")!.split(" ")) expect(document.getElementById(id)).not.toBeNull();
  }
}, 20_000);
