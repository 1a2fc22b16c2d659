import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { expect, it } from "vitest";
import { fakeApi, type Route as FakeRoute } from "../../test/api";
import { AppHarness } from "../../test/render";
import { WatchlistPage } from "./WatchlistPage";
import { WatchlistsPage } from "./WatchlistsPage";

function aWatchlist(name: string, symbols: string[]) {
  return { watchlist_id: "w1", name, symbols, created_at: "2025-01-01T00:00:00Z", updated_at: "2025-01-02T00:00:00Z" };
}

function at(path: string, routes: Record<string, FakeRoute>, pages: Record<string, ReactElement>) {
  const api = fakeApi(routes);
  render(
    <AppHarness options={{ fetch: api.fetch }}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          {Object.entries(pages).map(([pattern, element]) => (
            <Route key={pattern} path={pattern} element={element} />
          ))}
        </Routes>
      </MemoryRouter>
    </AppHarness>,
  );
  return api;
}

const PAGES = { "/watchlists": <WatchlistsPage />, "/watchlists/:watchlistId": <WatchlistPage /> };

it("creates a watchlist and opens it; a refused name shows the server's words at the field", async () => {
  let created = false;
  const api = at(
    "/watchlists",
    {
      "GET /watchlists": { status: 200, body: { items: [], next_token: null } },
      "POST /watchlists": (body) => {
        if ((body as { name: string }).name === "dup")
          return {
            status: 422,
            body: { title: "Invalid", status: 422, detail: "x", errors: [{ loc: ["body", "name"], msg: "a watchlist named dup exists", type: "x" }] },
          };
        created = true;
        return { status: 201, body: aWatchlist("Tech", []) };
      },
      "GET /watchlists/w1": { status: 200, body: aWatchlist("Tech", []) },
    },
    PAGES,
  );
  expect(await screen.findByText("No watchlists yet.")).toBeTruthy();
  const name = screen.getByLabelText("Name");
  fireEvent.change(name, { target: { value: "dup" } });
  fireEvent.click(screen.getByRole("button", { name: "Create" }));
  expect(await screen.findByText("a watchlist named dup exists")).toBeTruthy();
  expect(name.getAttribute("aria-invalid")).toBe("true");
  fireEvent.change(name, { target: { value: "Tech" } });
  fireEvent.click(screen.getByRole("button", { name: "Create" }));
  expect(await screen.findByRole("heading", { name: "Tech" })).toBeTruthy();
  expect(created).toBe(true);
  expect(api.requests.at(-2)?.body).toEqual({ name: "Tech", symbols: [] });
});

it("renames, adds and removes symbols, and deletes after confirming", async () => {
  let current = aWatchlist("Tech", ["AAPL"]);
  const api = at(
    "/watchlists/w1",
    {
      "GET /watchlists/w1": () => ({ status: 200, body: current }),
      "GET /watchlists": { status: 200, body: { items: [], next_token: null } },
      "GET /symbols": { status: 200, body: { items: [{ symbol: "MSFT", synthetic: true, datasets: [] }] } },
      "PUT /watchlists/w1": (body) => ({ status: 200, body: (current = { ...current, ...(body as object) }) }),
      "POST /watchlists/w1/symbols": (body) => {
        const symbol = (body as { symbol: string }).symbol;
        if (symbol === "BAD$")
          return { status: 422, body: { title: "Invalid", status: 422, detail: "x", errors: [{ loc: ["body", "symbol"], msg: "not a symbol", type: "x" }] } };
        return { status: 200, body: (current = { ...current, symbols: [...current.symbols, symbol] }) };
      },
      "DELETE /watchlists/w1/symbols/AAPL": () => ({ status: 200, body: (current = { ...current, symbols: current.symbols.filter((s) => s !== "AAPL") }) }),
      "DELETE /watchlists/w1": { status: 204 },
    },
    PAGES,
  );
  await screen.findByRole("heading", { name: "Tech" });
  fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Big tech" } });
  fireEvent.click(screen.getByRole("button", { name: "Save" }));
  expect(await screen.findByRole("heading", { name: "Big tech" })).toBeTruthy();
  expect(api.requests.find((r) => r.route === "PUT /watchlists/w1")?.body).toEqual({ name: "Big tech", symbols: ["AAPL"] });

  const add = screen.getByRole("combobox", { name: /Add a symbol/ });
  fireEvent.change(add, { target: { value: "bad$" } });
  fireEvent.keyDown(add, { key: "Enter" });
  expect(await screen.findByText("not a symbol")).toBeTruthy();
  fireEvent.change(add, { target: { value: "msft" } });
  fireEvent.keyDown(add, { key: "Enter" });
  const table = await screen.findByTestId("watchlist-symbols");
  await waitFor(() => expect(within(table).getByText("MSFT")).toBeTruthy());

  fireEvent.click(screen.getByRole("button", { name: "Remove AAPL" }));
  await waitFor(() => expect(within(screen.getByTestId("watchlist-symbols")).queryByText("AAPL")).toBeNull());

  fireEvent.click(screen.getByRole("button", { name: "Delete" }));
  fireEvent.click(await screen.findByRole("button", { name: "Delete watchlist" }));
  expect(await screen.findByText("No watchlists yet.")).toBeTruthy();
  expect(api.requests.some((r) => r.route === "DELETE /watchlists/w1")).toBe(true);
});
