import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { Route, Routes } from "react-router";
import { renderWithApp } from "../../test/render";
import { StrategyPage } from "./StrategyPage";
import type { IndicatorKindInfo, Strategy, StrategyDoc } from "./model";

const DOC: StrategyDoc = {
  name: "SMA cross",
  parameters: { fast: { type: "int", default: 10, min: 2, max: 200, step: 1 }, slow: { type: "int", default: 30, min: 2, max: 200, step: 1 } },
  constraints: [{ left: "fast", op: "<", right: "slow" }],
  indicators: {
    fast_ma: { kind: "sma", source: "close", params: { window: { param: "fast" } } },
    slow_ma: { kind: "sma", source: "close", params: { window: { param: "slow" } } },
  },
  rules: [
    { id: "enter", when: { op: "crosses_above", left: "fast_ma", right: "slow_ma" }, action: "buy", enabled: true, priority: 0 },
    { id: "exit", when: { op: "crosses_below", left: "fast_ma", right: "slow_ma" }, action: "sell", enabled: true, priority: 0 },
  ],
  direction: "long_only",
};

const KINDS: IndicatorKindInfo[] = [
  { kind: "sma", inputs: "source", params: [{ name: "window", default: 20, integer: true, minimum: 1 }], outputs: ["value"] },
  { kind: "macd", inputs: "source", params: [{ name: "fast", default: 12, integer: true, minimum: 1 }], outputs: ["line", "signal", "hist"] },
];

function strategy(document: StrategyDoc, version: number): Strategy {
  const at = "2026-01-01T00:00:00Z";
  return {
    strategy_id: "s1",
    name: document.name,
    description: null,
    tags: [],
    latest_version: version,
    version,
    note: null,
    created_at: at,
    updated_at: at,
    version_created_at: at,
    document,
  } as Strategy;
}

function server() {
  const state = { latest: 1, saved: [] as unknown[] };
  const fake = fakeApi({
    "GET /strategies/s1": () => ({ status: 200, body: strategy(DOC, state.latest) }),
    "GET /strategies/indicators": { status: 200, body: { items: KINDS } },
    "POST /strategies/validate": (body) => {
      const doc = body as StrategyDoc;
      const when = doc.rules?.[0]?.when as { left?: unknown };
      const errors =
        when?.left === "zzz"
          ? [
              {
                loc: ["rules", 0, "when", "left"],
                path: "$.rules[0].when.left",
                msg: "unknown series 'zzz': not a price column nor an indicator",
                type: "unknown_series",
              },
            ]
          : typeof when?.left === "object"
            ? [{ loc: ["rules", 0, "when", "crosses_above", "left", "ParamRef", "param"], path: "", msg: "Field required", type: "missing" }]
            : [];
      return { status: 200, body: { valid: !errors.length, errors } };
    },
    "PUT /strategies/s1": (body) => {
      const put = body as { expected_version: number; document: StrategyDoc };
      state.saved.push(put);
      if (put.expected_version !== state.latest)
        return { status: 409, body: { type: "about:blank", title: "Conflict", status: 409, detail: "version 1 is not the latest (2)", errors: [] } };
      state.latest += 1;
      return { status: 200, body: strategy(put.document, state.latest) };
    },
    "GET /strategies/s1/versions?limit=100": () => ({
      status: 200,
      body: {
        items: Array.from({ length: state.latest }, (_, i) => ({
          strategy_id: "s1",
          version: state.latest - i,
          name: DOC.name,
          note: null,
          created_at: "2026-01-01T00:00:00Z",
        })),
        next_token: null,
      },
    }),
    "GET /strategies/s1/versions/1": {
      status: 200,
      body: { strategy_id: "s1", version: 1, name: DOC.name, note: null, created_at: "2026-01-01T00:00:00Z", document: DOC },
    },
    "GET /strategies/s1/versions/2": () => ({
      status: 200,
      body: {
        strategy_id: "s1",
        version: 2,
        name: DOC.name,
        note: null,
        created_at: "2026-01-01T00:00:00Z",
        document: state.saved.length ? (state.saved[0] as { document: StrategyDoc }).document : DOC,
      },
    }),
  });
  return { ...fake, state };
}

vi.setConfig({ testTimeout: 30_000 });
const WAIT = { timeout: 5000 };

const field = (id: string) => document.getElementById(id) as HTMLInputElement;

async function open() {
  const fake = server();
  renderWithApp(
    <Routes>
      <Route path="/strategies/:strategyId" element={<StrategyPage />} />
    </Routes>,
    { fetch: fake.fetch, path: "/strategies/s1" },
  );
  await screen.findByRole("heading", { level: 1, name: "SMA cross" }, WAIT);
  await waitFor(() => expect(screen.getByTestId("strategy-status").textContent).toContain("Valid"), WAIT);
  return fake;
}

it("keeps the builder and the JSON view in sync both ways", async () => {
  await open();
  // builder → JSON
  fireEvent.change(field("sf-parameters-fast-default"), { target: { value: "12" } });
  fireEvent.click(screen.getByRole("tab", { name: "JSON" }));
  const text = screen.getByRole("textbox", { name: /Strategy document/ }) as HTMLTextAreaElement;
  expect(JSON.parse(text.value).parameters.fast.default).toBe(12);
  // JSON → builder
  const edited = JSON.parse(text.value) as StrategyDoc;
  edited.rules[1].action = "close";
  edited.indicators!.fast_ma.kind = "macd";
  fireEvent.change(text, { target: { value: JSON.stringify(edited, null, 2) } });
  // broken text pauses the builder and says where
  fireEvent.change(text, { target: { value: '{\n  "name": "x",\n  oops\n}' } });
  expect(screen.getByText(/Line 3:/)).toBeTruthy();
  fireEvent.click(screen.getByRole("tab", { name: "Rule builder" }));
  expect(screen.getByRole("alert").textContent).toContain("line 3");
  fireEvent.click(screen.getByRole("tab", { name: "JSON" }));
  fireEvent.change(screen.getByRole("textbox", { name: /Strategy document/ }), { target: { value: JSON.stringify(edited, null, 2) } });
  fireEvent.click(screen.getByRole("tab", { name: "Rule builder" }));
  expect(field("sf-rules-1-action").value).toBe("close");
  expect(field("sf-parameters-fast-default").value).toBe("12");
  // the macd's several outputs become series a rule can read
  expect(screen.getByText("Outputs: fast_ma.line, fast_ma.signal, fast_ma.hist")).toBeTruthy();
});

it("shows each problem at its field, in the summary and at its JSON line", async () => {
  await open();
  fireEvent.change(field("sf-rules-0-when-left"), { target: { value: "zzz" } });
  await waitFor(() => expect(field("sf-rules-0-when-left").getAttribute("aria-invalid")).toBe("true"), WAIT);
  const rule = screen.getByTestId("rule-0");
  expect(within(rule).getByText(/unknown series 'zzz'/)).toBeTruthy();
  expect(screen.getByTestId("problem-list").textContent).toContain("rules.0.when.left");
  expect(screen.getByTestId("strategy-status").textContent).toContain("1 problem");
  fireEvent.click(screen.getByRole("tab", { name: "JSON" }));
  const list = screen.getByTestId("json-problems");
  const text = (screen.getByRole("textbox", { name: /Strategy document/ }) as HTMLTextAreaElement).value;
  const line = text.split("\n").findIndex((l) => l.includes('"left": "zzz"')) + 1;
  expect(list.textContent).toContain(`Line ${line}`);
  // a union member named by pydantic still lands on the operand
  fireEvent.click(screen.getByRole("tab", { name: "Rule builder" }));
  fireEvent.change(within(screen.getByTestId("rule-0")).getByRole("combobox", { name: "Left side: kind" }), { target: { value: "param" } });
  await waitFor(() => expect(field("sf-rules-0-when-left").getAttribute("aria-invalid")).toBe("true"), WAIT);
  expect(await within(screen.getByTestId("rule-0")).findByText("Field required", {}, WAIT)).toBeTruthy();
  // fixed: valid again
  fireEvent.change(within(screen.getByTestId("rule-0")).getByRole("combobox", { name: "Left side: kind" }), { target: { value: "series" } });
  await waitFor(() => expect(screen.getByTestId("strategy-status").textContent).toContain("Valid"), WAIT);
  expect(field("sf-rules-0-when-left").getAttribute("aria-invalid")).not.toBe("true");
});

it("saves a new version with expected_version and explains a stale save", async () => {
  const fake = await open();
  fireEvent.change(field("sf-parameters-slow-default"), { target: { value: "40" } });
  fireEvent.click(screen.getByRole("button", { name: "Save new version" }));
  expect(await screen.findByText("Saved as version 2.", {}, WAIT)).toBeTruthy();
  expect(fake.state.saved[0]).toMatchObject({ expected_version: 1, tags: [], document: { parameters: { slow: { default: 40 } } } });
  // someone else saves meanwhile
  fake.state.latest = 5;
  fireEvent.change(field("sf-parameters-slow-default"), { target: { value: "45" } });
  fireEvent.click(screen.getByRole("button", { name: "Save new version" }));
  const alert = await screen.findByText("This strategy changed since you opened it", {}, WAIT);
  expect(alert).toBeTruthy();
  fireEvent.click(screen.getByRole("button", { name: "Reload latest version" }));
  await waitFor(() => expect(screen.queryByText("This strategy changed since you opened it")).toBeNull(), WAIT);
  expect(field("sf-parameters-slow-default").value).toBe("30");
});

it("shows the versions, diffs two and edits from an older one", async () => {
  await open();
  fireEvent.change(field("sf-parameters-slow-default"), { target: { value: "40" } });
  fireEvent.click(screen.getByRole("button", { name: "Save new version" }));
  await screen.findByText("Saved as version 2.", {}, WAIT);
  fireEvent.click(screen.getByRole("tab", { name: "History" }));
  const diff = await screen.findByTestId("diff", {}, WAIT);
  expect(within(diff).getAllByText('"default": 40,').length).toBe(1);
  expect(diff.querySelector("td[data-kind='removed']")!.textContent).toContain('"default": 30');
  fireEvent.click(screen.getByRole("button", { name: "Edit from version 1" }));
  await waitFor(() => expect(field("sf-parameters-slow-default").value).toBe("30"), WAIT);
  expect((screen.getByRole("textbox", { name: "What changed" }) as HTMLInputElement).value).toBe("back to version 1");
  expect(screen.getByTestId("strategy-status").textContent).toContain("Unsaved changes");
});
