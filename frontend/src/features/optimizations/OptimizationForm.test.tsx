import { fireEvent, screen, within } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import type { Dataset } from "../../api/client";
import { fakeApi, type Route } from "../../test/api";
import { ESTIMATE } from "../../test/fixtures";
import { renderWithApp } from "../../test/render";
import { OptimizationForm } from "./OptimizationForm";

const SAMPLE = { dataset_id: "sample", name: "Sample universe", source: "sample", synthetic: true, status: "ready" } as unknown as Dataset;
const DOCUMENT = {
  name: "SMA cross",
  parameters: { fast: { type: "int", default: 10, min: 2, max: 200, step: 1 }, slow: { type: "int", default: 50, min: 5, max: 400, step: 5 } },
};

function setup(extra: Record<string, Route> = {}) {
  const api = fakeApi({
    "GET /strategies/templates": {
      status: 200,
      body: { items: [{ template: "sma_cross", name: "SMA cross", description: null, parameters: ["fast", "slow"] }] },
    },
    "GET /strategies/templates/sma_cross": {
      status: 200,
      body: { template: "sma_cross", name: "SMA cross", description: null, parameters: ["fast", "slow"], document: DOCUMENT },
    },
    "GET /strategies": { status: 200, body: { items: [], next_token: null } },
    "GET /watchlists": { status: 200, body: { items: [], next_token: null } },
    "POST /optimizations/estimate": { status: 200, body: ESTIMATE },
    ...extra,
  });
  renderWithApp(<OptimizationForm datasets={[SAMPLE]} />, { fetch: api.fetch });
  return api;
}

const estimates = (requests: { route: string; body: unknown }[]) => requests.filter((r) => r.route === "POST /optimizations/estimate");

it("shows each parameter's allowed range up front", async () => {
  setup();
  const fast = await screen.findByTestId("param-fast");
  expect(fast.textContent).toContain("allowed 2 – 200 · whole numbers · default 10");
  expect((screen.getByLabelText("fast min") as HTMLInputElement).value).toBe("2");
  expect((screen.getByLabelText("slow step") as HTMLInputElement).value).toBe("5");
});

it("refuses a step of 0 and a fraction for an integer parameter at the field, and sends nothing", async () => {
  const { requests } = setup();
  await screen.findByTestId("param-fast");
  fireEvent.change(screen.getByLabelText("fast step"), { target: { value: "0" } });
  fireEvent.change(screen.getByLabelText("slow min"), { target: { value: "7.5" } });
  const step = screen.getByLabelText("fast step");
  expect(step.getAttribute("aria-invalid")).toBe("true");
  expect(within(screen.getByTestId("param-fast")).getByText("The step must be above 0")).toBeTruthy();
  expect(screen.getByLabelText("slow min").getAttribute("aria-invalid")).toBe("true");
  expect(within(screen.getByTestId("param-slow")).getByText("Whole numbers only: slow is an integer parameter")).toBeTruthy();
  expect(screen.getByLabelText("fast min").getAttribute("aria-invalid")).not.toBe("true");

  fireEvent.change(screen.getByLabelText("Symbols"), { target: { value: "ZENX" } });
  fireEvent.click(screen.getByRole("button", { name: "Run optimization" }));
  expect(await screen.findByText("Fix the marked fields first.")).toBeTruthy();
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(requests.map((r) => r.route)).not.toContain("POST /optimizations");
  expect(estimates(requests)).toHaveLength(0);
});

it("asks for the estimate once typing pauses (debounced) and shows runs, shards, duration and cost", async () => {
  const { requests } = setup();
  await screen.findByTestId("param-fast");
  fireEvent.change(screen.getByLabelText("Symbols"), { target: { value: "Z" } });
  fireEvent.change(screen.getByLabelText("Symbols"), { target: { value: "ZE" } });
  fireEvent.change(screen.getByLabelText("Symbols"), { target: { value: "ZENX" } });
  fireEvent.change(screen.getByLabelText("fast max"), { target: { value: "20" } });
  expect(estimates(requests)).toHaveLength(0);
  await vi.waitFor(() => expect(screen.getByTestId("estimate-runs").textContent).toBe("12"));
  expect(estimates(requests)).toHaveLength(1);
  expect(estimates(requests)[0].body).toMatchObject({
    strategy: DOCUMENT,
    dataset_id: "sample",
    symbols: ["ZENX"],
    space: { fast: { min: 2, max: 20, step: 1 }, slow: { min: 5, max: 400, step: 5 } },
    objective: { metric: "sharpe", direction: "maximize" },
    name: "SMA cross · fast 2–20 / 1 × slow 5–400 / 5 · max Sharpe",
  });
  expect(screen.getByTestId("estimate-shards").textContent).toBe("1");
  expect(screen.getByTestId("estimate-duration").textContent).toBe("4 sec");
  expect(screen.getByTestId("estimate-cost").textContent).toBe("0.000123 USD");
});

it("shows the server's 422 for a huge space at the space and a parameter's at its field", async () => {
  const problem = {
    type: "about:blank",
    title: "Invalid input",
    status: 422,
    detail: "invalid request",
    errors: [
      { loc: ["body", "space"], msg: "199 x 80 = 15,920 combinations exceed the limit of 10,000", type: "too_long" },
      { loc: ["body", "space", "slow"], msg: "values out of range", type: "value_error" },
    ],
  };
  setup({ "POST /optimizations/estimate": { status: 422, body: problem } });
  await screen.findByTestId("param-fast");
  fireEvent.change(screen.getByLabelText("Symbols"), { target: { value: "ZENX" } });
  expect(await screen.findByText("199 x 80 = 15,920 combinations exceed the limit of 10,000")).toBeTruthy();
  expect(within(screen.getByTestId("param-slow")).getByText("values out of range")).toBeTruthy();
  expect(within(screen.getByTestId("param-fast")).queryByText("values out of range")).toBeNull();
});
