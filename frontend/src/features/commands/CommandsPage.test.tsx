import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { FakeSocket } from "../../test/fakeSocket";
import { aJob } from "../../test/jobs";
import { connected, push } from "../../test/realtime";
import { renderWithApp } from "../../test/render";
import CommandsPage from "./CommandsPage";
import { fields, initialValues, toParams } from "./schema";

beforeEach(() => {
  FakeSocket.instances = [];
});

const PRUNE_SCHEMA = {
  type: "object",
  title: "PruneJobs",
  properties: {
    days: { type: "integer", minimum: 1, maximum: 3650, title: "Days", description: "older than this many days" },
    kind: { anyOf: [{ enum: ["backtest", "optimization"], type: "string" }, { type: "null" }], default: null, title: "Kind" },
    dry_run: { type: "boolean", default: false, title: "Dry Run" },
  },
  required: ["days"],
};
const FETCH_SCHEMA = {
  type: "object",
  properties: {
    symbols: { type: "array", items: { type: "string" }, title: "Symbols" },
    start: { type: "string", format: "date", title: "Start" },
    name: { anyOf: [{ type: "string", maxLength: 200 }, { type: "null" }], default: null, title: "Name" },
  },
  required: ["symbols", "start"],
};
const CATALOGUE = [
  { name: "prune-jobs", title: "Prune old jobs", description: "Delete final jobs older than N days.", params_schema: PRUNE_SCHEMA },
  { name: "fetch-bars", title: "Fetch bars", description: "From Yahoo Finance.", params_schema: FETCH_SCHEMA },
];

it("reads each property's input from the schema", () => {
  expect(fields(PRUNE_SCHEMA).map((f) => [f.name, f.kind, f.required])).toEqual([
    ["days", "integer", true],
    ["kind", "choice", false],
    ["dry_run", "boolean", false],
  ]);
  expect(fields(FETCH_SCHEMA).map((f) => f.kind)).toEqual(["list", "date", "text"]);
  expect(initialValues(PRUNE_SCHEMA)).toEqual({ dry_run: false });
  expect(toParams({ days: 3, kind: undefined, name: "", symbols: [] })).toEqual({ days: 3 });
});

it("runs a command from its generated form, shows the server's message at the field, then follows the run's log", async () => {
  const line = (seq: string, message: string) => ({ job_id: "c1", seq, time: "2025-01-01T00:00:01.000Z", level: "info", message, fields: {} });
  let attempts = 0;
  const api = fakeApi({
    "GET /commands": { status: 200, body: CATALOGUE },
    "GET /commands/runs?limit=10": { status: 200, body: { items: [], next_token: null } },
    "POST /commands/prune-jobs/runs": () => {
      attempts += 1;
      return attempts === 1
        ? {
            status: 422,
            body: {
              type: "x",
              title: "Invalid input",
              status: 422,
              detail: "bad",
              errors: [{ loc: ["body", "params", "days"], msg: "must be at least 1", type: "x" }],
            },
          }
        : { status: 202, body: aJob({ job_id: "c1", kind: "command", name: "prune-jobs", status: "queued" }) };
    },
    "GET /jobs/c1": { status: 200, body: aJob({ job_id: "c1", kind: "command", name: "prune-jobs", status: "running" }) },
    "GET /jobs/c1/logs?tail=200": { status: 200, body: { items: [line("1", "queued prune-jobs")], next_token: null } },
  });
  const { connection, socket } = await connected();
  renderWithApp(<CommandsPage />, { fetch: api.fetch, connection });
  expect(await screen.findByRole("heading", { level: 1, name: "Commands" })).toBeTruthy();
  fireEvent.click(await screen.findByRole("button", { name: /Prune old jobs/ }));
  const form = await screen.findByRole("form", { name: "Run Prune old jobs" });
  fireEvent.change(within(form).getByRole("textbox", { name: /Days/ }), { target: { value: "0" } });
  fireEvent.click(within(form).getByRole("button", { name: "Run" }));
  expect(await within(form).findByText("must be at least 1")).toBeTruthy();
  expect(api.requests.find((r) => r.route === "POST /commands/prune-jobs/runs")?.body).toEqual({ params: { days: 0, dry_run: false } });

  fireEvent.change(within(form).getByRole("textbox", { name: /Days/ }), { target: { value: "30" } });
  fireEvent.click(within(form).getByRole("button", { name: "Run" }));
  expect(await screen.findByText("queued prune-jobs")).toBeTruthy();
  await push(socket, "job.log", "job:c1", line("2", "deleted 3 jobs"));
  expect(await screen.findByText("deleted 3 jobs")).toBeTruthy();
  expect(within(screen.getByTestId("job-log")).getAllByTestId("log-line")).toHaveLength(2);
  expect(screen.getByRole("link", { name: "Open the job" }).getAttribute("href")).toBe("/jobs/c1");
  await vi.waitFor(() => expect(screen.getByTestId("command-run-status").textContent).toBe("Running"));
});
