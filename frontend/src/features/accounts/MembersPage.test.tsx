import { fireEvent, screen, within } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { type Account, AccountContext, type Invitation, type Member, type Role } from "./account";
import MembersPage from "./MembersPage";

const member = (id: string, email: string, role: Role): Member => ({ member_id: id, email, role, joined_at: "2026-01-01T00:00:00Z" });

function account(role: Role): Account {
  return {
    me: {
      kind: "user",
      actor: "user:u1",
      user_id: "u1",
      email: "ann@example.com",
      org_id: "acme",
      role,
      scopes: [],
      orgs: [{ org_id: "acme", role }],
      invitations: [],
    },
    orgId: "acme",
    role,
    switchOrg: () => undefined,
    signOut: () => undefined,
  };
}

const LAST_ADMIN = { type: "about:blank", title: "Conflict", status: 409, detail: "acme must keep at least one admin", errors: [] };

function server() {
  const state = {
    members: [member("u1", "ann@example.com", "admin"), member("u2", "bob@example.com", "researcher")],
    invitations: [] as Invitation[],
  };
  const fake = fakeApi({
    "GET /org/members?limit=200": () => ({ status: 200, body: { items: state.members, next_token: null } }),
    "GET /org/invitations": () => ({ status: 200, body: state.invitations }),
    "POST /org/invitations": (body) => {
      const { email, role } = body as { email: string; role: Role };
      if (!email.includes("@"))
        return {
          status: 422,
          body: {
            type: "about:blank",
            title: "Unprocessable",
            status: 422,
            detail: "Invalid input",
            errors: [{ loc: ["body", "email"], msg: "not an email address", type: "value_error" }],
          },
        };
      const made = {
        invitation_id: `i${state.invitations.length + 1}`,
        org_id: "acme",
        email,
        role,
        invited_by: "user:u1",
        created_at: "2026-01-02T00:00:00Z",
        expires_at: "2026-01-09T00:00:00Z",
      };
      state.invitations = [...state.invitations, made];
      return { status: 201, body: made };
    },
    "DELETE /org/invitations/i1": () => {
      state.invitations = state.invitations.filter((i) => i.invitation_id !== "i1");
      return { status: 204 };
    },
    "PATCH /org/members/u1": () => ({ status: 409, body: LAST_ADMIN }),
    "PATCH /org/members/u2": (body) => {
      state.members = state.members.map((m) => (m.member_id === "u2" ? { ...m, role: (body as { role: Role }).role } : m));
      return { status: 200, body: state.members[1] };
    },
    "DELETE /org/members/u1": () => ({ status: 409, body: LAST_ADMIN }),
    "DELETE /org/members/u2": () => {
      state.members = state.members.filter((m) => m.member_id !== "u2");
      return { status: 204 };
    },
  });
  return { ...fake, state };
}

/** Choose `name` in a Mantine Select (its options render in a listbox the input controls). */
function pick(input: HTMLElement, name: string) {
  fireEvent.click(input);
  const list = document.getElementById(input.getAttribute("aria-controls")!)!;
  fireEvent.click(within(list).getByRole("option", { name, hidden: true }));
}

function renderPage(role: Role, fake = server()) {
  renderWithApp(
    <AccountContext.Provider value={account(role)}>
      <MembersPage />
    </AccountContext.Provider>,
    { fetch: fake.fetch, path: "/members" },
  );
  return fake;
}

it("lists the members with their roles, marking the signed-in person", async () => {
  renderPage("admin");
  const table = await screen.findByRole("table", { name: "Members" });
  expect(within(table).getByTestId("member-ann@example.com").textContent).toContain("You");
  expect((within(table).getByLabelText("Role of bob@example.com") as HTMLInputElement).value).toBe("Researcher");
});

it("invites by email with a role, lists the pending invitation and withdraws it after confirming", async () => {
  const fake = renderPage("admin");
  await screen.findByRole("table", { name: "Members" });
  const form = screen.getByRole("form", { name: "Invite" });
  fireEvent.change(within(form).getByRole("textbox", { name: "Email" }), { target: { value: "nope" } });
  fireEvent.click(within(form).getByRole("button", { name: "Invite" }));
  expect(await within(form).findByText("not an email address")).toBeTruthy();
  fireEvent.change(within(form).getByRole("textbox", { name: "Email" }), { target: { value: "cy@example.com" } });
  fireEvent.click(within(form).getByRole("button", { name: "Invite" }));
  const pending = await screen.findByRole("table", { name: "Pending invitations" });
  expect(within(pending).getByTestId("invitation-cy@example.com").textContent).toContain("Viewer");
  expect(fake.requests.filter((r) => r.route === "POST /org/invitations").at(-1)!.body).toEqual({ email: "cy@example.com", role: "viewer" });
  fireEvent.click(within(pending).getByRole("button", { name: "Withdraw the invitation of cy@example.com" }));
  const dialog = await screen.findByRole("dialog", { name: "Withdraw the invitation of cy@example.com?" });
  expect(fake.requests.map((r) => r.route)).not.toContain("DELETE /org/invitations/i1");
  fireEvent.click(within(dialog).getByRole("button", { name: "Withdraw" }));
  expect(await screen.findByText("No pending invitations.")).toBeTruthy();
});

it("changes a role, and shows the server's refusal to demote the last admin", async () => {
  const fake = renderPage("admin");
  const table = await screen.findByRole("table", { name: "Members" });
  pick(within(table).getByLabelText("Role of bob@example.com"), "Admin");
  await vi.waitFor(() => expect(fake.state.members[1].role).toBe("admin"));
  pick(within(table).getByLabelText("Role of ann@example.com"), "Viewer");
  expect(await screen.findByText("acme must keep at least one admin")).toBeTruthy();
});

it("removes a member only after confirming; the last admin's removal shows the server's message", async () => {
  const fake = renderPage("admin");
  const table = await screen.findByRole("table", { name: "Members" });
  fireEvent.click(within(table).getByRole("button", { name: "Remove ann@example.com" }));
  let dialog = await screen.findByRole("dialog", { name: "Remove ann@example.com?" });
  fireEvent.click(within(dialog).getByRole("button", { name: "Remove member" }));
  expect((await within(dialog).findByRole("alert")).textContent).toContain("acme must keep at least one admin");
  fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
  fireEvent.click(within(table).getByRole("button", { name: "Remove bob@example.com" }));
  dialog = await screen.findByRole("dialog", { name: "Remove bob@example.com?" });
  fireEvent.click(within(dialog).getByRole("button", { name: "Remove member" }));
  await vi.waitFor(() => expect(screen.queryByTestId("member-bob@example.com")).toBeNull());
  expect(fake.requests.map((r) => r.route)).toContain("DELETE /org/members/u2");
});

it("a viewer sees the members, with the admin controls disabled and no invitation list asked for", async () => {
  const fake = renderPage("viewer");
  const table = await screen.findByRole("table", { name: "Members" });
  expect(within(table).queryByLabelText(/Role of/)).toBeNull();
  expect((within(table).getByRole("button", { name: "Remove bob@example.com" }) as HTMLButtonElement).disabled).toBe(true);
  const invite = screen.getByRole("button", { name: "Invite" }) as HTMLButtonElement;
  expect(invite.disabled).toBe(true);
  expect(invite.closest("[data-needs-role]")!.textContent).toContain("Needs the Admin role");
  expect(fake.requests.map((r) => r.route)).not.toContain("GET /org/invitations");
});
