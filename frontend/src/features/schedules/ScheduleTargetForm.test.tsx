import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { ESTIMATE, jobFormRoutes, SMA_TEMPLATE } from "../../test/fixtures";
import { renderWithApp } from "../../test/render";
import ScheduleEditorPage from "./ScheduleEditorPage";

const REFUSED = {
  type: "about:blank",
  title: "Invalid input",
  status: 422,
  detail: "the target cannot be submitted",
  errors: [
    { loc: ["body", "target", "request", "space", "slow"], msg: "values out of range", type: "value_error" },
    { loc: ["body", "target", "request", "symbols", 0], msg: "not in dataset sample", type: "value_error" },
  ],
};

it("schedules an optimization built with the space editor (live estimate), its refusal at the fields", async () => {
  const api = fakeApi({
    ...jobFormRoutes(),
    "GET /commands": { status: 200, body: [] },
    "GET /strategies?limit=100": { status: 200, body: { items: [], next_token: null } },
    "POST /schedules/preview": { status: 200, body: { expression: "cron(30 17 ? * MON-FRI *)", timezone: "UTC", next_fire_times: [] } },
    "POST /optimizations/estimate": { status: 200, body: ESTIMATE },
    "POST /schedules": { status: 422, body: REFUSED },
  });
  renderWithApp(
    <Routes>
      <Route path="/schedules/new" element={<ScheduleEditorPage />} />
    </Routes>,
    { fetch: api.fetch, path: "/schedules/new" },
  );
  fireEvent.change(await screen.findByTestId("schedule-name"), { target: { value: "Weekly sweep" } });
  fireEvent.click(screen.getByTestId("schedule-kind"));
  fireEvent.click(await screen.findByRole("option", { name: "Optimization", hidden: true }));
  // The optimization page's own space editor, with its estimate.
  await screen.findByTestId("param-fast", {}, { timeout: 5000 });
  fireEvent.change(screen.getByLabelText("Symbols"), { target: { value: "ZENX" } });
  fireEvent.change(screen.getByLabelText("fast max"), { target: { value: "20" } });
  await vi.waitFor(() => expect(screen.getByTestId("estimate-runs").textContent).toBe("12"));

  fireEvent.click(screen.getByRole("button", { name: "Create schedule" }));
  await vi.waitFor(() => expect(api.requests.map((r) => r.route)).toContain("POST /schedules"));
  const sent = api.requests.find((r) => r.route === "POST /schedules")?.body as { name: string; target: { kind: string; request: Record<string, unknown> } };
  expect(sent.name).toBe("Weekly sweep");
  expect(sent.target.kind).toBe("optimization");
  expect(sent.target.request).toMatchObject({
    strategy: SMA_TEMPLATE.document,
    dataset_id: "sample",
    symbols: ["ZENX"],
    space: { fast: { min: 2, max: 20, step: 1 }, slow: { min: 10, max: 200, step: 5 } },
    objective: { metric: "sharpe", direction: "maximize" },
  });
  expect(sent.target.request.name).toBeUndefined();
  // target.request.space.slow → the slow parameter's field; target.request.symbols.0 → the symbols, named.
  expect(await within(screen.getByTestId("param-slow")).findByText("values out of range")).toBeTruthy();
  expect(within(screen.getByTestId("param-fast")).queryByText("values out of range")).toBeNull();
  expect(screen.getByText("ZENX: not in dataset sample")).toBeTruthy();
  expect(screen.getByLabelText("Symbols").getAttribute("aria-invalid")).toBe("true");
});
