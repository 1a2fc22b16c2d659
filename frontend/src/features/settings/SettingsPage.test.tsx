import { fireEvent, screen, within } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import type { ApiKey } from "../../api/client";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { AccountContext } from "../accounts/account";
import { ApiKeys } from "./ApiKeys";
import { SettingsPage } from "./SettingsPage";

const KEY = (id: string, name: string, prefix: string, revoked = false): ApiKey => ({
  key_id: id,
  name,
  prefix,
  created_at: "2025-01-01T00:00:00Z",
  revoked_at: revoked ? "2025-01-02T00:00:00Z" : null,
  expires_at: null,
  role: "admin",
  scopes: [],
});

function server() {
  const state = { keys: [KEY("k1", "laptop", "tw_test"), KEY("k0", "old", "tw_old", true)] };
  return fakeApi({
    "GET /api-keys?limit=100": () => ({ status: 200, body: { items: state.keys, next_token: null } }),
    "POST /api-keys": (body) => {
      const name = (body as { name: string }).name;
      if (name === "taken")
        return {
          status: 422,
          body: {
            type: "about:blank",
            title: "Unprocessable",
            status: 422,
            detail: "Invalid input",
            errors: [{ loc: ["body", "name"], msg: "a key named 'taken' exists", type: "conflict" }],
          },
        };
      state.keys = [KEY("k2", name, "tw_new"), ...state.keys];
      return { status: 201, body: { key_id: "k2", name, secret: "tw_new_SECRET_shown_once", created_at: "2025-01-03T00:00:00Z" } };
    },
    "DELETE /api-keys/k2": () => {
      state.keys = state.keys.map((k) => (k.key_id === "k2" ? { ...k, revoked_at: "2025-01-04T00:00:00Z" } : k));
      return { status: 204 };
    },
  });
}

it("lists keys, marks this browser's and the revoked ones", async () => {
  renderWithApp(<SettingsPage />, { fetch: server().fetch });
  const table = await screen.findByRole("table", { name: "API keys" });
  const laptop = within(table).getByText("laptop").closest("tr")!;
  expect(laptop.textContent).toContain("this browser");
  expect(laptop.textContent).toContain("active");
  expect(within(table).getByText("old").closest("tr")!.textContent).toContain("revoked");
  expect(within(table).queryByRole("button", { name: "Revoke old" })).toBeNull();
});

it("creates a key and shows its secret once, with a copy button", async () => {
  const fake = server();
  renderWithApp(<SettingsPage />, { fetch: fake.fetch });
  await screen.findByRole("table", { name: "API keys" });
  fireEvent.change(screen.getByRole("textbox", { name: "Name" }), { target: { value: "  ci  " } });
  fireEvent.click(screen.getByRole("button", { name: "Create key" }));
  const dialog = await screen.findByRole("dialog", { name: "Key “ci” created" });
  expect(within(dialog).getByTestId("new-key-secret").textContent).toBe("tw_new_SECRET_shown_once");
  expect(within(dialog).getByRole("button", { name: "Copy" })).toBeTruthy();
  expect(fake.requests.find((r) => r.route === "POST /api-keys")?.body).toEqual({ name: "ci", role: "researcher" });
  fireEvent.click(within(dialog).getByRole("button", { name: "Done" }));
  await vi.waitFor(() => expect(screen.queryByTestId("new-key-secret")).toBeNull());
  expect(await screen.findByText("ci")).toBeTruthy();
});

it("shows the server's message at the name field", async () => {
  renderWithApp(<SettingsPage />, { fetch: server().fetch });
  await screen.findByRole("table", { name: "API keys" });
  const name = screen.getByRole("textbox", { name: "Name" });
  fireEvent.change(name, { target: { value: "taken" } });
  fireEvent.click(screen.getByRole("button", { name: "Create key" }));
  await vi.waitFor(() => expect(name.getAttribute("aria-invalid")).toBe("true"));
  const described = name
    .getAttribute("aria-describedby")!
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent);
  expect(described).toContain("a key named 'taken' exists");
});

it("revokes a key only after confirming", async () => {
  const fake = server();
  renderWithApp(<SettingsPage />, { fetch: fake.fetch });
  await screen.findByRole("table", { name: "API keys" });
  fireEvent.change(screen.getByRole("textbox", { name: "Name" }), { target: { value: "ci" } });
  fireEvent.click(screen.getByRole("button", { name: "Create key" }));
  fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Done" }));
  fireEvent.click(await screen.findByRole("button", { name: "Revoke ci" }));
  const confirm = await screen.findByRole("dialog", { name: "Revoke “ci”?" });
  expect(fake.requests.map((r) => r.route)).not.toContain("DELETE /api-keys/k2");
  fireEvent.click(within(confirm).getByRole("button", { name: "Revoke key" }));
  await vi.waitFor(() => expect(screen.getByText("ci").closest("tr")!.textContent).toContain("revoked"));
  expect(fake.requests.map((r) => r.route)).toContain("DELETE /api-keys/k2");
});

it("switches the language and the theme from the page", async () => {
  renderWithApp(<SettingsPage />, { fetch: server().fetch });
  fireEvent.click(await screen.findByText("Français"));
  expect(await screen.findByRole("heading", { level: 1, name: "Paramètres" })).toBeTruthy();
  fireEvent.click(screen.getByText("Sombre"));
  expect(document.documentElement.getAttribute("data-mantine-color-scheme")).toBe("dark");
});

/** Choose `name` in a Mantine Select or MultiSelect (its options render in a listbox the input controls). */
function pick(input: HTMLElement, name: string) {
  fireEvent.click(input);
  const list = document.getElementById(input.getAttribute("aria-controls")!)!;
  fireEvent.click(within(list).getByRole("option", { name, hidden: true }));
}

it("creates a key with a role, scopes and a lifetime, and lists them with its expiry", async () => {
  const fake = server();
  vi.spyOn(Date, "now").mockReturnValue(Date.parse("2026-03-01T00:00:00Z"));
  renderWithApp(<SettingsPage />, { fetch: fake.fetch });
  await screen.findByRole("table", { name: "API keys" });
  fireEvent.change(screen.getByRole("textbox", { name: "Name" }), { target: { value: "ci" } });
  pick(screen.getByLabelText("Role", { selector: "input" }), "Viewer");
  pick(screen.getByLabelText("Expires", { selector: "input" }), "In 30 days");
  pick(screen.getByLabelText("Scopes", { selector: "input" }), "backtests");
  fireEvent.click(screen.getByRole("button", { name: "Create key" }));
  await screen.findByRole("dialog", { name: "Key “ci” created" });
  expect(fake.requests.find((r) => r.route === "POST /api-keys")?.body).toEqual({
    name: "ci",
    role: "viewer",
    scopes: ["backtests"],
    expires_at: "2026-03-31T00:00:00.000Z",
  });
});

it("marks an expired key and shows its role and scopes", async () => {
  const expired = { ...KEY("k3", "stale", "tw_stale"), expires_at: "2020-01-01T00:00:00Z", role: "viewer" as const, scopes: ["jobs"] };
  const fake = fakeApi({ "GET /api-keys?limit=100": { status: 200, body: { items: [expired], next_token: null } } });
  renderWithApp(<SettingsPage />, { fetch: fake.fetch });
  const row = (await screen.findByText("stale")).closest("tr")!;
  expect(row.textContent).toContain("expired");
  expect(row.textContent).toContain("Viewer");
  expect(row.textContent).toContain("jobs");
});

it("tells a non-admin that keys are for admins, without asking the API for them", async () => {
  const fake = server();
  const viewer = {
    me: {
      kind: "user" as const,
      actor: "user:u2",
      user_id: "u2",
      email: "v@example.com",
      org_id: "acme",
      role: "viewer" as const,
      scopes: [],
      orgs: [],
      invitations: [],
    },
    orgId: "acme",
    role: "viewer" as const,
    switchOrg: () => undefined,
    signOut: () => undefined,
  };
  renderWithApp(
    <AccountContext.Provider value={viewer}>
      <ApiKeys />
    </AccountContext.Provider>,
    { fetch: fake.fetch },
  );
  expect(await screen.findByText("Only admins see and manage the organisation's API keys.")).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Create key" })).toBeNull();
  expect(fake.requests.map((r) => r.route)).not.toContain("GET /api-keys?limit=100");
});
