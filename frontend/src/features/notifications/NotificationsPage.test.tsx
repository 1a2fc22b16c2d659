import { fireEvent, screen, within } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import type { Notification } from "../../api/client";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { NotificationBell } from "./NotificationBell";
import { NotificationsPage } from "./NotificationsPage";
import { appLink } from "./useNotifications";

function note(id: string, read = false, overrides: Partial<Notification> = {}): Notification {
  return {
    notification_id: id,
    kind: "job.completed",
    title: `Optimization ${id} succeeded`,
    body: "Best Sharpe 1.2",
    link: `/optimizations/${id}`,
    created_at: "2025-01-01T00:00:00Z",
    read_at: read ? "2025-01-01T01:00:00Z" : null,
    ...overrides,
  };
}

/** A server with `all` notifications, paged by 20, that marks them read. */
function server(all: Notification[]) {
  const state = { all };
  const unread = () => state.all.filter((n) => !n.read_at);
  const page = (items: Notification[], token: string | null) => {
    const start = token ? Number(token) : 0;
    const next = start + 20 < items.length ? String(start + 20) : null;
    return { status: 200, body: { items: items.slice(start, start + 20), next_token: next } };
  };
  const fake = fakeApi({
    "GET /notifications": (_b, request) => {
      const url = new URL(request.url);
      const items = url.searchParams.get("unread") === "true" ? unread() : state.all;
      return page(items, url.searchParams.get("next_token"));
    },
    "GET /notifications/unread-count": () => ({ status: 200, body: { unread: unread().length } }),
    "POST /notifications/read-all": () => {
      const marked = unread().length;
      state.all = state.all.map((n) => ({ ...n, read_at: n.read_at ?? "now" }));
      return { status: 200, body: { marked } };
    },
  });
  for (const n of all) {
    fake.routes[`POST /notifications/${n.notification_id}/read`] = () => {
      state.all = state.all.map((x) => (x.notification_id === n.notification_id ? { ...x, read_at: "now" } : x));
      return { status: 200, body: { ...n, read_at: "now" } };
    };
  }
  return fake;
}

it("pages through every notification with next_token", async () => {
  const fake = server(Array.from({ length: 25 }, (_, i) => note(`n${i}`, i % 2 === 0)));
  renderWithApp(<NotificationsPage />, { fetch: fake.fetch, path: "/notifications" });
  const list = await screen.findByRole("list", { name: "Notification list" });
  expect(await within(list).findAllByRole("listitem")).toHaveLength(20);
  fireEvent.click(screen.getByRole("button", { name: "Load more" }));
  await vi.waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(25));
  expect(fake.requests.map((r) => r.route)).toContain("GET /notifications?limit=20&unread=false&next_token=20");
  expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  expect(screen.getByText("12 unread")).toBeTruthy();
});

it("filters the unread ones, marks one then all read, and the bell follows", async () => {
  const fake = server([note("a"), note("b"), note("c", true)]);
  renderWithApp(
    <>
      <NotificationBell />
      <NotificationsPage />
    </>,
    { fetch: fake.fetch, path: "/notifications?filter=unread" },
  );
  const list = await screen.findByRole("list", { name: "Notification list" });
  await vi.waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(2));
  expect(screen.getByRole("radio", { name: "Unread" })).toHaveProperty("checked", true);
  expect(await screen.findByRole("link", { name: "Notifications: 2 unread" })).toBeTruthy();
  // the server's title links to the object it is about
  expect(within(list).getByRole("link", { name: "Optimization a succeeded" }).getAttribute("href")).toBe("/optimizations/a");

  fireEvent.click(within(list).getByRole("button", { name: "Mark read: Optimization a succeeded" }));
  await vi.waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(1));
  expect(await screen.findByRole("link", { name: "Notifications: 1 unread" })).toBeTruthy();

  fireEvent.click(screen.getByRole("button", { name: "Mark all read" }));
  expect(await screen.findByText("No unread notifications.")).toBeTruthy();
  expect(await screen.findByRole("link", { name: "Notifications: none unread" })).toBeTruthy();
  expect(fake.requests.map((r) => r.route)).toEqual(expect.arrayContaining(["POST /notifications/a/read", "POST /notifications/read-all"]));
});

it("maps the API's links to the app's pages", () => {
  expect(appLink("/datasets/d1")).toBe("/data/datasets/d1");
  expect(appLink("/backtests/b1")).toBe("/backtests/b1");
  expect(appLink("/optimizations/o1")).toBe("/optimizations/o1");
  expect([appLink(null), appLink("https://elsewhere/x")]).toEqual([null, null]);
});

it("shows each notification in the reader's language, and an old one as the server wrote it", async () => {
  const coded = note("c", false, {
    message: { code: "job.cancelled", params: { job: { kind: "backtest", name: "sma", id: "c" } } },
    title: "Backtest 'sma' cancelled",
    body: "Cancelled before it finished.",
    link: "/backtests/c",
  });
  const fake = server([coded, note("old")]);
  renderWithApp(<NotificationsPage />, { fetch: fake.fetch, path: "/notifications", language: "fr" });
  const list = await screen.findByRole("list", { name: "Liste des notifications" });
  const link = await within(list).findByRole("link", { name: "Annulation : Backtest « sma »" });
  expect(link.getAttribute("href")).toBe("/backtests/c");
  expect(within(list).getByText("Annulée avant la fin.")).toBeTruthy();
  expect(within(list).queryByText("Cancelled before it finished.")).toBeNull();
  expect(within(list).getByRole("button", { name: "Marquer comme lue : Annulation : Backtest « sma »" })).toBeTruthy();
  // no code: the server's English, marked as English
  expect(within(list).getByRole("link", { name: "Optimization old succeeded" }).closest("[lang]")?.getAttribute("lang")).toBe("en");
});
