import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, expect, it, vi } from "vitest";
import { fakeApi } from "../test/api";
import { FakeSocket } from "../test/fakeSocket";
import { connected, push } from "../test/realtime";
import { renderApp } from "../test/renderApp";
import { activeEntry, visibleEntries } from "./AppLayout";
import { navEntries } from "./registry";

const READY = { status: "ok", checks: { dynamodb: { ok: true, detail: "tradewind-main" } } };
const INFO = { version: "1.2.3", commit: "abc", stage: "local", region: "us-east-1" };

function api(unread = 3) {
  const counts = { unread };
  const fake = fakeApi({
    "GET /notifications/unread-count": () => ({ status: 200, body: { unread: counts.unread } }),
    "GET /health/ready": { status: 200, body: READY },
    "GET /health/info": { status: 200, body: INFO },
  });
  return { ...fake, counts };
}

beforeEach(() => {
  FakeSocket.instances = [];
  document.documentElement.lang = "en";
});

it("registers every feature's nav entries, ordered", () => {
  const entries = navEntries();
  const mine = entries.map((e) => e.to).filter((to) => ["/", "/notifications", "/health", "/settings"].includes(to));
  expect(mine).toEqual(["/", "/notifications", "/health", "/settings"]);
  expect(entries.map((e) => e.order)).toEqual([...entries.map((e) => e.order)].sort((a, b) => a - b));
});

it("shows the page for its URL inside the shell, with the nav entry current", async () => {
  renderApp("/health", { fetch: api().fetch });
  expect(await screen.findByRole("heading", { level: 1, name: "System health" })).toBeTruthy();
  const nav = screen.getByRole("navigation", { name: "Workspace" });
  expect(within(nav).getByRole("link", { name: "Health" }).getAttribute("aria-current")).toBe("page");
  expect(within(nav).getByRole("link", { name: "Settings" }).getAttribute("aria-current")).toBeNull();
  expect(screen.getByRole("link", { name: "Tradewind home" }).getAttribute("href")).toBe("/");
});

it("marks only the most specific nav entry current", () => {
  const entry = (to: string) => ({ to, label: to, icon: () => null, section: "research", order: 0 }) as never;
  const entries = [entry("/"), entry("/pipeline"), entry("/pipeline/signals")];
  expect(activeEntry(entries, "/pipeline/signals")).toBe(entries[2]);
  expect(activeEntry(entries, "/pipeline/runs/r1")).toBe(entries[1]);
  expect(activeEntry(entries, "/")).toBe(entries[0]);
  expect(activeEntry(entries, "/nowhere")).toBeUndefined();
});

it("answers an unknown URL with the not-found page", async () => {
  renderApp("/nowhere", { fetch: api().fetch });
  expect(await screen.findByRole("heading", { level: 1, name: "Page not found" })).toBeTruthy();
});

it("keeps the bell's unread count live: refetched on the notifications topic", async () => {
  const { connection, socket } = await connected();
  const fake = api(3);
  renderApp("/health", { fetch: fake.fetch, connection });
  expect(await screen.findByRole("link", { name: "Notifications: 3 unread" })).toBeTruthy();
  await vi.waitFor(() => expect(socket.sent).toContainEqual({ action: "subscribe", topics: ["jobs", "notifications"] }));
  fake.counts.unread = 4;
  await push(socket, "notification", "notifications", {
    notification_id: "n",
    kind: "job.completed",
    title: "t",
    body: "b",
    link: null,
    created_at: "x",
    read_at: null,
  });
  expect(await screen.findByRole("link", { name: "Notifications: 4 unread" })).toBeTruthy();
});

it("shows the connection state and the measured latency in the badge", async () => {
  const { connection, socket } = await connected();
  renderApp("/health", { fetch: api().fetch, connection });
  const badge = await screen.findByTestId("realtime-badge");
  expect(badge.dataset.state).toBe("connected");
  const ping = socket.sent.find((s) => s.action === "ping") as { data: { latency: number } };
  vi.spyOn(Date, "now").mockReturnValue(ping.data.latency + 25);
  await push(socket, "pong", null, { data: ping.data, connection_id: "c" });
  expect(badge.getAttribute("aria-label")).toBe("Connected · 25 ms");
  await push(socket, "pong", null, {}); // unrelated replies keep the last figure
  socket.serverDrops();
  await vi.waitFor(() => expect(badge.getAttribute("aria-label")).toBe("Reconnecting (1)"));
});

it("switches to French (remembered, <html lang>) and to the dark theme", async () => {
  renderApp("/health", { fetch: api().fetch });
  await screen.findByRole("heading", { level: 1, name: "System health" });
  fireEvent.click(screen.getByRole("button", { name: /Switch to Français/ }));
  expect(await screen.findByRole("heading", { level: 1, name: "État du système" })).toBeTruthy();
  expect(document.documentElement.lang).toBe("fr");
  expect(window.localStorage.getItem("tradewind.language")).toBe("fr");
  fireEvent.click(screen.getByRole("button", { name: "Passer au thème sombre" }));
  expect(document.documentElement.getAttribute("data-mantine-color-scheme")).toBe("dark");
  expect(window.localStorage.getItem("tradewind.colorScheme")).toBe("dark");
});

it("hides the admin-only entries from a viewer, and groups them under Administration for an admin", async () => {
  const admin = (section: string) => navEntries().filter((e) => e.role === "admin" && e.section === section);
  expect(admin("admin").map((e) => e.to)).toEqual(["/audit", "/integrations"]);
  expect(navEntries().filter((e) => e.role === "admin" && e.section !== "admin")).toEqual([]);
  expect(visibleEntries(navEntries(), { role: "researcher" }).map((e) => e.to)).not.toContain("/audit");
  expect(visibleEntries(navEntries(), null)).toEqual(navEntries());

  const viewer = renderApp("/health", { fetch: api().fetch, role: "viewer" });
  await viewer.findByRole("heading", { level: 1, name: "System health" });
  expect(screen.queryByRole("navigation", { name: "Administration" })).toBeNull();
  expect(screen.queryByRole("link", { name: "Audit" })).toBeNull();
  expect(screen.queryByRole("link", { name: "Integrations" })).toBeNull();
  expect(screen.getByRole("link", { name: "Members" })).toBeTruthy();
  viewer.unmount();

  renderApp("/health", { fetch: api().fetch, role: "admin" });
  const nav = await screen.findByRole("navigation", { name: "Administration" });
  expect(
    within(nav)
      .getAllByRole("link")
      .map((a) => a.textContent),
  ).toEqual(["Audit", "Integrations"]);
});

it.each(["/audit", "/integrations", "/integrations/c1"])(
  "tells a researcher visiting %s that it needs the Admin role, asking the API nothing of it",
  async (path) => {
    const fake = api();
    renderApp(path, { fetch: fake.fetch, role: "researcher" });
    expect(await screen.findByText("This page needs the Admin role")).toBeTruthy();
    expect(fake.requests.filter((r) => /\/(audit|channels)/.test(r.route))).toEqual([]);
  },
);
