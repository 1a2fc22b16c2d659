import { fireEvent, screen, within } from "@testing-library/react";
import { expect, it } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { aTrade, TRADES } from "./testData";
import { sortTrades, TRADES_PER_PAGE, TradesTable } from "./TradesTable";

it("sorts on any column, missing values last, ties in entry order", () => {
  const trades = [aTrade({ pnl: 5 }), aTrade({ pnl: null }), aTrade({ pnl: -1 }), aTrade({ pnl: 5, symbol: "B" })];
  expect(sortTrades(trades, "pnl", "desc").map((t) => [t.pnl, t.symbol])).toEqual([
    [5, "ZENX"],
    [5, "B"],
    [-1, "ZENX"],
    [null, "ZENX"],
  ]);
  expect(sortTrades(trades, "pnl", "asc").map((t) => t.pnl)).toEqual([-1, 5, 5, null]);
});

it("reads every page of trades, then sorts and pages them in the browser", async () => {
  const many = Array.from({ length: 30 }, (_, i) => aTrade({ pnl: i, entry_time: `2024-01-${String(i + 1).padStart(2, "0")}T00:00:00Z` }));
  const api = fakeApi({
    "GET /backtests/b1/trades?limit=200": { status: 200, body: { items: many.slice(0, 20), next_token: "t2", total: 30 } },
    "GET /backtests/b1/trades?limit=200&next_token=t2": { status: 200, body: { items: many.slice(20), next_token: null, total: 30 } },
  });
  renderWithApp(<TradesTable jobId="b1" symbol={null} showSymbol />, { fetch: api.fetch });
  expect(await screen.findByText("30 trades")).toBeTruthy();
  expect(screen.getAllByTestId("trade-row")).toHaveLength(TRADES_PER_PAGE);
  const pnlHeader = screen.getByRole("columnheader", { name: /P&L/ });
  fireEvent.click(within(pnlHeader).getByRole("button"));
  expect(pnlHeader.getAttribute("aria-sort")).toBe("descending");
  expect(within(screen.getAllByTestId("trade-row")[0]).getByText("29.00".replace(".00", ""))).toBeTruthy();
  fireEvent.click(screen.getByRole("button", { name: "Page 2" }));
  expect(screen.getAllByTestId("trade-row")).toHaveLength(5);
});

it("asks for one symbol's trades on its tab, and says when there are none", async () => {
  const api = fakeApi({ "GET /backtests/b1/trades?limit=200&symbol=QUBIT": { status: 200, body: { items: [], next_token: null, total: 0 } } });
  renderWithApp(<TradesTable jobId="b1" symbol="QUBIT" showSymbol={false} />, { fetch: api.fetch });
  expect(await screen.findByText("No trades in this run.")).toBeTruthy();
  expect(TRADES).toHaveLength(3);
});
