import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { Route, Routes, useParams } from "react-router";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import type { StrategySummary } from "./model";
import { StrategiesPage } from "./StrategiesPage";

vi.setConfig({ testTimeout: 30_000 });
const WAIT = { timeout: 5000 };

const AT = "2026-01-01T00:00:00Z";
const summary = (id: string, name: string, tags: string[] = []): StrategySummary => ({
  strategy_id: id,
  name,
  description: null,
  tags,
  latest_version: 2,
  created_at: AT,
  updated_at: AT,
});

function Opened() {
  const { strategyId } = useParams();
  return <p>opened {strategyId}</p>;
}

function server() {
  const state = { items: [summary("s1", "SMA trend", ["trend"]), summary("s2", "RSI dip")], created: [] as unknown[], imported: [] as unknown[] };
  const fake = fakeApi({
    "GET /strategies": (_, request) => {
      const q = new URL(request.url).searchParams.get("q") ?? "";
      const token = new URL(request.url).searchParams.get("next_token");
      const found = state.items.filter((s) => s.name.toLowerCase().includes(q.toLowerCase()));
      if (!q && !token) return { status: 200, body: { items: found.slice(0, 1), next_token: "page2" } };
      return { status: 200, body: { items: token ? found.slice(1) : found, next_token: null } };
    },
    "GET /strategies/templates": {
      status: 200,
      body: {
        items: [
          { template: "sma_cross", name: "SMA cross", description: "Fast over slow", parameters: ["fast", "slow"] },
          { template: "macd_trend", name: "MACD trend", description: null, parameters: [] },
        ],
      },
    },
    "POST /strategies": (body) => {
      state.created.push(body);
      return { status: 201, body: { strategy_id: "new1" } };
    },
    "POST /strategies/import": (body) => {
      state.imported.push(body);
      return {
        status: 422,
        body: {
          type: "about:blank",
          title: "Unprocessable",
          status: 422,
          detail: "Invalid input",
          errors: [{ loc: ["body", "rules", 0, "action"], msg: "Input should be 'buy', 'sell', 'short', 'cover' or 'close'", type: "literal_error" }],
        },
      };
    },
    "DELETE /strategies/s2": () => {
      state.items = state.items.filter((s) => s.strategy_id !== "s2");
      return { status: 204 };
    },
  });
  return { ...fake, state };
}

function open() {
  const fake = server();
  renderWithApp(
    <Routes>
      <Route path="/strategies" element={<StrategiesPage />} />
      <Route path="/strategies/:strategyId" element={<Opened />} />
    </Routes>,
    { fetch: fake.fetch, path: "/strategies" },
  );
  return fake;
}

it("lists page by page, searches by name and deletes after confirming", async () => {
  const fake = open();
  const table = await screen.findByRole("table", { name: "Your strategies" }, WAIT);
  expect(within(table).getByText("SMA trend")).toBeTruthy();
  fireEvent.click(screen.getByRole("button", { name: "Load more" }));
  expect(await within(table).findByText("RSI dip", {}, WAIT)).toBeTruthy();
  fireEvent.change(screen.getByRole("textbox", { name: "Search by name" }), { target: { value: "rsi" } });
  await waitFor(() => expect(fake.requests.some((r) => r.route.includes("q=rsi") && r.route.includes("match=contains"))).toBe(true), WAIT);
  await waitFor(() => expect(screen.queryByText("SMA trend")).toBeNull(), WAIT);
  fireEvent.click(screen.getByRole("button", { name: "Delete RSI dip" }));
  const dialog = await screen.findByRole("dialog", { name: "Delete “RSI dip”?" }, WAIT);
  expect(dialog.textContent).toContain("its 2 versions");
  fireEvent.click(within(dialog).getByRole("button", { name: "Delete strategy" }));
  expect(await screen.findByText("No strategy matches this search.", {}, WAIT)).toBeTruthy();
  expect(fake.requests.some((r) => r.route === "DELETE /strategies/s2")).toBe(true);
});

it("creates from a template and opens the new strategy", async () => {
  const fake = open();
  fireEvent.click(await screen.findByRole("button", { name: "New strategy" }, WAIT));
  const dialog = await screen.findByRole("dialog", { name: "New strategy from a template" }, WAIT);
  const template = (await within(dialog).findByRole("combobox", { name: "Template" }, WAIT)) as HTMLSelectElement;
  await waitFor(() => expect(template.options.length).toBe(2), WAIT);
  fireEvent.change(template, { target: { value: "macd_trend" } });
  fireEvent.change(within(dialog).getByRole("textbox", { name: /^Name/ }), { target: { value: "My MACD" } });
  fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));
  expect(await screen.findByText("opened new1", {}, WAIT)).toBeTruthy();
  expect(fake.state.created).toEqual([{ template: "macd_trend", name: "My MACD" }]);
});

it("imports a file: a non-JSON file and a refused document say why", async () => {
  const fake = open();
  const input = (await screen.findByRole("button", { name: "Import file" }, WAIT)).parentElement!.querySelector("input[type=file]") as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File(["not json"], "notes.txt", { type: "text/plain" })] } });
  const dialog = await screen.findByRole("dialog", { name: "The file could not be imported" }, WAIT);
  expect(dialog.textContent).toContain("notes.txt is not a JSON document.");
  fireEvent.click(within(dialog).getByRole("button"));
  await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull(), WAIT);
  fireEvent.change(input, {
    target: {
      files: [
        new File(['{"name": "x", "rules": [{"id": "a", "when": {"op": ">", "left": "close", "right": 1}, "action": "hold"}]}'], "s.json", {
          type: "application/json",
        }),
      ],
    },
  });
  const refused = await screen.findByTestId("import-problems", {}, WAIT);
  expect(refused.textContent).toContain("rules.0.action: Input should be 'buy'");
  expect(fake.state.imported).toHaveLength(1);
});
