import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { expect, it } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import type { AuditEntry } from "./api";
import { AuditPage } from "./AuditPage";

const ENTRY = (id: string, changes: Partial<AuditEntry> = {}): AuditEntry => ({
  audit_id: id,
  created_at: "2026-03-01T10:00:00Z",
  actor: "key:k1",
  action: "strategies.update",
  target_id: "s1",
  outcome: "success",
  status: 200,
  method: "PUT",
  path: "/strategies/s1",
  route: "/strategies/{strategy_id}",
  request_id: "r1",
  source_ip: "10.0.0.1",
  user_agent: "ua",
  details: {},
  ...changes,
});

it("lists the trail, pages forward and back", async () => {
  const fake = fakeApi({
    "GET /audit?limit=50": { status: 200, body: { items: [ENTRY("a2"), ENTRY("a1", { outcome: "failure", status: 404 })], next_token: "T1" } },
    "GET /audit?limit=50&next_token=T1": { status: 200, body: { items: [ENTRY("a0", { details: { changed: ["time_zone"] } })], next_token: null } },
  });
  renderWithApp(<AuditPage />, { fetch: fake.fetch });
  const table = await screen.findByRole("table", { name: "Audit trail" });
  expect(within(table).getByTestId("audit-a1").textContent).toContain("404 failure");
  fireEvent.click(screen.getByRole("button", { name: "Next page" }));
  expect((await screen.findByTestId("audit-a0")).textContent).toContain("time_zone");
  expect((screen.getByRole("button", { name: "Next page" }) as HTMLButtonElement).disabled).toBe(true);
  fireEvent.click(screen.getByRole("button", { name: "Previous page" }));
  expect(await screen.findByTestId("audit-a2")).toBeTruthy();
});

it("filters, and shows a refused filter at its field", async () => {
  const fake = fakeApi({
    "GET /audit?limit=50": { status: 200, body: { items: [ENTRY("a1")], next_token: null } },
    "GET /audit?action=jobs.cancel&since=2026-03-01T00%3A00%3A00Z&limit=50": {
      status: 200,
      body: { items: [ENTRY("a9", { action: "jobs.cancel" })], next_token: null },
    },
    "GET /audit?actor=alice&limit=50": {
      status: 422,
      body: {
        type: "about:blank",
        title: "Invalid input",
        status: 422,
        detail: "invalid request: query.actor",
        errors: [{ loc: ["query", "actor"], msg: "String should match pattern", type: "string_pattern_mismatch" }],
      },
    },
  });
  renderWithApp(<AuditPage />, { fetch: fake.fetch });
  await screen.findByTestId("audit-a1");
  fireEvent.change(screen.getByRole("textbox", { name: "Action" }), { target: { value: "jobs.cancel" } });
  fireEvent.change(screen.getByLabelText("From (UTC)"), { target: { value: "2026-03-01" } });
  fireEvent.click(screen.getByRole("button", { name: "Apply filters" }));
  expect(await screen.findByTestId("audit-a9")).toBeTruthy();
  fireEvent.change(screen.getByRole("textbox", { name: "Action" }), { target: { value: "" } });
  fireEvent.change(screen.getByLabelText("From (UTC)"), { target: { value: "" } });
  fireEvent.change(screen.getByRole("textbox", { name: "Actor" }), { target: { value: "alice" } });
  fireEvent.click(screen.getByRole("button", { name: "Apply filters" }));
  await waitFor(() => expect(screen.getByRole("textbox", { name: "Actor" }).getAttribute("aria-invalid")).toBe("true"));
  expect(screen.getByText("String should match pattern")).toBeTruthy();
});
