/** A viewer walks through the pages with something to act on: every control they may still use is
 * clicked, and none of them may reach a route that needs more than viewer
 * (layers/tradewind/tradewind/accounts/route_roles.py); the controls they may not use are disabled,
 * saying which role they need. */
import { fireEvent, screen, within } from "@testing-library/react";
import { expect, it } from "vitest";
import { fakeApi } from "../../test/api";
import { renderApp } from "../../test/renderApp";

/** The non-GET routes a viewer may call (ROUTE_ROLES: V). */
const VIEWER_WRITES = [
  /^POST \/strategies\/validate/,
  /^POST \/optimizations\/estimate/,
  /^POST \/schedules\/preview/,
  /^POST \/notifications\//,
  /^POST \/realtime\/tickets/,
];

const AT = "2030-01-01T00:00:00Z";
const SCHEDULE = {
  schedule_id: "s1",
  name: "Evening scan",
  expression: "cron(30 17 ? * MON-FRI *)",
  timezone: "UTC",
  target: { kind: "command", command: "prune-jobs", params: { days: 30 } },
  enabled: true,
  next_fire_times: ["2030-01-02T17:30:00Z"],
  fires: 0,
  last_fire: null,
  created_at: AT,
  updated_at: AT,
};
const WATCHLIST = { watchlist_id: "w1", name: "Tech", symbols: ["AAPL", "MSFT"], created_at: AT, updated_at: AT };
const STRATEGY = { strategy_id: "st1", name: "SMA trend", description: null, tags: [], latest_version: 1, created_at: AT, updated_at: AT };
const DATASET = {
  dataset_id: "d1",
  name: "prices",
  status: "ready",
  source: "upload",
  synthetic: false,
  symbols_count: 2,
  rows: 250,
  start: "2024-01-02T00:00:00Z",
  end: "2024-12-31T00:00:00Z",
  format: "csv",
  created_at: AT,
  updated_at: AT,
  ignored_columns: [],
};
const WORKFLOW = {
  workflow_id: "wf1",
  name: "Nightly",
  description: null,
  steps: [{ name: "prune", target: { kind: "command", command: "prune-jobs", params: { days: 30 } } }],
  version: 1,
  runs: 0,
  last_run_id: null,
  created_at: AT,
  updated_at: AT,
};
const SETTINGS = {
  version: 1,
  time_zone: "UTC",
  base_currency: "USD",
  job_defaults: { cash: 10000, commission: 0, commission_fixed: 0, slippage_bps: 0 },
  notifications: { "job.completed": { in_app: true } },
  updated_at: null,
  updated_by: null,
};
const page = (items: unknown[]) => ({ status: 200, body: { items, next_token: null } });

function api() {
  return fakeApi({
    "GET /notifications/unread-count": { status: 200, body: { unread: 0 } },
    "GET /schedules": page([SCHEDULE]),
    "GET /schedules/s1": { status: 200, body: SCHEDULE },
    "GET /schedules/s1/fires": page([]),
    "GET /watchlists": page([WATCHLIST]),
    "GET /watchlists/w1": { status: 200, body: WATCHLIST },
    "GET /strategies": page([STRATEGY]),
    "GET /datasets": page([DATASET]),
    "GET /workflows": page([WORKFLOW]),
    "GET /settings": { status: 200, body: SETTINGS },
  });
}

/** Where a viewer finds something to act on, and a text that says the page has loaded. */
const PAGES: [string, string][] = [
  ["/schedules", "Evening scan"],
  ["/schedules/s1", "Evening scan"],
  ["/watchlists/w1", "MSFT"],
  ["/strategies", "SMA trend"],
  ["/data", "prices"],
  ["/workflows", "Nightly"],
  ["/settings", "USD"],
];

it.each(PAGES)("gives a viewer on %s no enabled control that writes", async (path, loaded) => {
  const fake = api();
  const view = renderApp(path, { fetch: fake.fetch, role: "viewer" });
  const main = await view.findByRole("main");
  await within(main).findAllByText(loaded, { exact: false }, { timeout: 5000 });
  const blocked = main.querySelectorAll("[data-needs-role]");
  expect(blocked.length).toBeGreaterThan(0);
  for (const wrapper of blocked) {
    const control = wrapper.querySelector("button, input, a");
    expect(control, wrapper.outerHTML).not.toBeNull();
    expect(control!.hasAttribute("disabled") || control!.hasAttribute("data-disabled"), control!.outerHTML).toBe(true);
  }
  // Every control still enabled on the page, then in any dialog they opened (modals are portalled).
  const enabled = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>("button, input[type=checkbox]")].filter((el) => !el.hasAttribute("disabled"));
  for (const control of enabled(main)) if (control.isConnected) fireEvent.click(control);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const dismiss = /^(Cancel|Close)$/;
  for (const dialog of screen.queryAllByRole("dialog"))
    for (const control of enabled(dialog)) if (!dismiss.test(control.getAttribute("aria-label") ?? control.textContent ?? "")) fireEvent.click(control);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const writes = fake.requests.map((r) => r.route).filter((route) => !route.startsWith("GET ") && !VIEWER_WRITES.some((ok) => ok.test(route)));
  expect(writes).toEqual([]);
  expect(screen.queryByText(/no fake for (POST|PUT|PATCH|DELETE)/)).toBeNull();
});
