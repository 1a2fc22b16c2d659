import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { ResultsTable, ROW_HEIGHT } from "./ResultsTable";
import { BLOCK } from "./useOptimizations";

const TOTAL = 20_000;

/** A 20,000-row table: block `offset / BLOCK` of the rows sorted by `sort` in `order`. */
function page(url: URL) {
  const offset = Number(url.searchParams.get("offset") ?? 0);
  const limit = Number(url.searchParams.get("limit") ?? 200);
  const sort = url.searchParams.get("sort") ?? "sharpe";
  const order = url.searchParams.get("order") ?? (sort === "sharpe" ? "desc" : "asc");
  const rows = Array.from({ length: Math.min(limit, TOTAL - offset) }, (_, i) => {
    const k = offset + i;
    const combination = order === "desc" ? TOTAL - 1 - k : k;
    return {
      combination,
      window: null,
      params: { fast: 2 + (combination % 100), slow: 50 + Math.floor(combination / 100) },
      metrics: { sharpe: combination / 7777, trades: 12 },
    };
  });
  return { params: ["fast", "slow"], metrics: ["sharpe", "trades"], windowed: false, sort, order, total: TOTAL, offset, rows };
}

// jsdom lays nothing out: give the scroller the size a browser would (the virtualizer reads client*).
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(520);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1000);
});
afterEach(() => vi.restoreAllMocks());

function setup(onPick = vi.fn()) {
  const api = fakeApi({ "GET /optimizations/j1/table": (_body, request) => ({ status: 200, body: page(new URL(request.url)) }) });
  renderWithApp(<ResultsTable jobId="j1" title="Sweep" objective={{ metric: "sharpe", direction: "maximize" }} onPick={onPick} />, { fetch: api.fetch });
  return { ...api, onPick };
}

it("renders only the rows in view of a 20,000-row leaderboard, 4 significant digits, aligned", async () => {
  const { requests } = setup();
  const table = await screen.findByRole("table", { name: "All combinations of Sweep" });
  expect(table.getAttribute("aria-rowcount")).toBe(String(TOTAL + 1));
  const rows = await within(table).findAllByTestId("results-row");
  expect(rows.length).toBeGreaterThan(5);
  expect(rows.length).toBeLessThan(60); // virtualized: not 20,000
  const cells = [...rows[0].querySelectorAll("td")].map((td) => td.textContent);
  expect(cells).toEqual(["1", "19999", "101", "249", "2.572", "12"]);
  expect(rows[0].querySelectorAll("td.tw-num").length).toBe(6);
  expect(requests.map((r) => r.route)).toEqual([`GET /optimizations/j1/table?offset=0&limit=${BLOCK}`]);
  expect(screen.getByText(/20,000 rows · sorted by Sharpe \(descending\)/)).toBeTruthy();
});

it("sorts on the server by a clicked column, then flips the order", async () => {
  const { requests } = setup();
  await screen.findAllByTestId("results-row");
  fireEvent.click(screen.getByRole("button", { name: "Sort by fast" }));
  await vi.waitFor(() => expect(requests.map((r) => r.route)).toContain(`GET /optimizations/j1/table?offset=0&limit=${BLOCK}&sort=fast&order=asc`));
  await vi.waitFor(() => expect(screen.getAllByTestId("results-row")[0].querySelectorAll("td")[1].textContent).toBe("0"));
  const header = screen.getByRole("button", { name: "Sort by fast" }).closest("th")!;
  expect(header.getAttribute("aria-sort")).toBe("ascending");
  fireEvent.click(screen.getByRole("button", { name: "Sort by fast" }));
  await vi.waitFor(() => expect(requests.map((r) => r.route)).toContain(`GET /optimizations/j1/table?offset=0&limit=${BLOCK}&sort=fast&order=desc`));
});

it("backtests the combination of a clicked row", async () => {
  const { onPick } = setup();
  const rows = await screen.findAllByTestId("results-row");
  fireEvent.click(within(rows[1]).getByRole("button", { name: "2: backtest combination 19998" }));
  expect(onPick).toHaveBeenCalledWith(19998);
});

it("fetches the next block before the scroll reaches it", async () => {
  const { requests } = setup();
  await screen.findAllByTestId("results-row");
  const scroller = screen.getByTestId("results-scroller");
  scroller.scrollTop = (BLOCK - 100) * ROW_HEIGHT; // rows 400-415 in view: block 1 starts 85 rows below
  fireEvent.scroll(scroller);
  await vi.waitFor(() => expect(requests.map((r) => r.route)).toContain(`GET /optimizations/j1/table?offset=${BLOCK}&limit=${BLOCK}`));
  const rows = screen.getAllByTestId("results-row");
  expect(Number(rows[rows.length - 1].getAttribute("aria-rowindex")) - 1).toBeLessThan(BLOCK); // none of its rows shown yet
});

it("keeps focus on the focused combination as its recycled row scrolls, then on the scroller", async () => {
  setup();
  const rows = await screen.findAllByTestId("results-row");
  const button = within(rows[1]).getByRole("button", { name: "2: backtest combination 19998" });
  button.focus();
  const scroller = screen.getByTestId("results-scroller");
  scroller.scrollTop = 4 * ROW_HEIGHT; // the view starts at row 4, overscan from row 1: row 1 moves to the first slot
  fireEvent.scroll(scroller);
  await vi.waitFor(() => expect(screen.getAllByTestId("results-row")[0].getAttribute("aria-rowindex")).toBe("3"));
  expect(document.activeElement?.getAttribute("aria-label")).toBe("2: backtest combination 19998");
  scroller.scrollTop = 40 * ROW_HEIGHT; // row 1 out of view
  fireEvent.scroll(scroller);
  await vi.waitFor(() => expect(screen.getAllByTestId("results-row")[0].getAttribute("aria-rowindex")).toBe("39"));
  expect(document.activeElement).toBe(scroller);
});
