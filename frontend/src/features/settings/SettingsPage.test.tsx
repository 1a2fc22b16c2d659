import { fireEvent, screen, within } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import type { ApiKey } from "../../api/client";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
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
