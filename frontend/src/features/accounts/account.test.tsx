import { Button } from "@mantine/core";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { useEffect, useState } from "react";
import { MemoryRouter } from "react-router";
import { expect, it } from "vitest";
import { unwrap } from "../../api/client";
import { Providers } from "../../app/Providers";
import { createI18n } from "../../i18n";
import { resources } from "../../i18n/resources";
import { fakeApi } from "../../test/api";
import { TEST_CONFIG, testQueryClient } from "../../test/render";
import { type Account, AccountContext, type Me, type Role, roleAllows, useAccount } from "./account";
import { AccountMenu } from "./AccountMenu";
import { AccountProvider } from "./AccountProvider";
import type { Auth } from "./AuthGate";
import { NeedsRole } from "./NeedsRole";

it("orders the roles viewer < researcher < admin", () => {
  expect(roleAllows("viewer", "viewer")).toBe(true);
  expect(roleAllows("viewer", "researcher")).toBe(false);
  expect(roleAllows("researcher", "researcher")).toBe(true);
  expect(roleAllows("researcher", "admin")).toBe(false);
  expect(roleAllows("admin", "researcher")).toBe(true);
  expect(roleAllows(null, "viewer")).toBe(false);
});

function withRole(role: Role | null, ui: React.ReactNode) {
  const account: Account = {
    me: { kind: "user", actor: "user:u1", user_id: "u1", email: "ann@example.com", org_id: "acme", role, scopes: [], orgs: [], invitations: [] },
    orgId: "acme",
    role,
    switchOrg: () => undefined,
    signOut: () => undefined,
  };
  return render(
    <Providers i18n={createI18n("en", resources)} queryClient={testQueryClient()}>
      <AccountContext.Provider value={account}>{ui}</AccountContext.Provider>
    </Providers>,
  );
}

it("disables a control the role may not use, saying which role it needs", () => {
  withRole(
    "viewer",
    <NeedsRole role="researcher">
      <Button>Run</Button>
    </NeedsRole>,
  );
  const button = screen.getByRole("button", { name: "Run" }) as HTMLButtonElement;
  expect(button.disabled).toBe(true);
  expect(button.closest("[data-needs-role]")!.textContent).toContain("Needs the Researcher role");
});

it("leaves it alone for a role that may", () => {
  withRole(
    "researcher",
    <NeedsRole role="researcher">
      <Button>Run</Button>
    </NeedsRole>,
  );
  expect((screen.getByRole("button", { name: "Run" }) as HTMLButtonElement).disabled).toBe(false);
  expect(screen.queryByText(/Needs the/)).toBeNull();
});

const ME: Me = {
  kind: "user",
  actor: "user:u1",
  user_id: "u1",
  email: "ann@example.com",
  org_id: "acme",
  role: "admin",
  scopes: [],
  orgs: [
    { org_id: "acme", role: "admin" },
    { org_id: "beta", role: "viewer" },
  ],
  invitations: [],
};

const USER_AUTH = (): Auth => ({
  kind: "user",
  session: { idToken: async () => "id-token-1" } as unknown as Extract<Auth, { kind: "user" }>["session"],
  signOut: () => undefined,
});

/** What the app under the provider sees: its role, and a call signed by its session. */
function Probe({ api }: { api: ReturnType<typeof import("../../api/client").createApi> }) {
  const account = useAccount();
  const [members, setMembers] = useState<string>("…");
  useEffect(() => {
    void unwrap(api.GET("/org/members")).then((page) => setMembers(String(page.items.length)));
  }, [api]);
  return (
    <p>
      role {account?.role} in {account?.orgId}, {members} members
    </p>
  );
}

function renderProvider(me: Me, extra: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({
    "GET /me": { status: 200, body: me },
    "GET /org/members": { status: 200, body: { items: [], next_token: null } },
    ...extra,
  });
  render(
    <Providers i18n={createI18n("en", resources)} queryClient={testQueryClient()}>
      <AccountProvider config={TEST_CONFIG} auth={USER_AUTH()} fetch={fake.fetch}>
        {(session) => (
          <MemoryRouter>
            <AccountMenu />
            <Probe api={session.api} />
          </MemoryRouter>
        )}
      </AccountProvider>
    </Providers>,
  );
  return fake;
}

it("acts in the organisation remembered for this person, sending the ID token and X-Org-Id", async () => {
  window.localStorage.setItem("tradewind.org.user:u1", "beta");
  const fake = renderProvider(ME);
  expect(await screen.findByText("role viewer in beta, 0 members")).toBeTruthy();
  const call = fake.requests.find((r) => r.route === "GET /org/members")!;
  expect(call.headers.get("Authorization")).toBe("Bearer id-token-1");
  expect(call.headers.get("X-Org-Id")).toBe("beta");
});

it("switches organisation from the header, remembers it, and calls the API in the new one", async () => {
  const fake = renderProvider(ME);
  expect(await screen.findByText("role admin in acme, 0 members")).toBeTruthy();
  fireEvent.click(await screen.findByRole("button", { name: "Organisation: acme (switch)" }, { timeout: 5_000 }));
  fireEvent.click(await screen.findByRole("menuitem", { name: /beta/ }));
  expect(await screen.findByText("role viewer in beta, 0 members")).toBeTruthy();
  expect(window.localStorage.getItem("tradewind.org.user:u1")).toBe("beta");
  expect(fake.requests.filter((r) => r.route === "GET /org/members").map((r) => r.headers.get("X-Org-Id"))).toEqual(["acme", "beta"]);
});

it("shows the user menu: who, role there, sign out", async () => {
  renderProvider(ME);
  await screen.findByText("role admin in acme, 0 members");
  fireEvent.click(await screen.findByRole("button", { name: "Account" }, { timeout: 5_000 }));
  const signOut = await screen.findByRole("menuitem", { name: "Sign out" });
  const menu = signOut.closest<HTMLElement>("[role=menu]")!;
  expect(within(menu).getByTestId("account-email").textContent).toBe("ann@example.com");
  expect(within(menu).getByTestId("account-role").textContent).toBe("Admin in acme");
  expect(within(menu).getByText("Security").closest("a")?.getAttribute("href")).toBe("/security");
});

it("shows a person in no organisation their invitations; accepting one opens the app there", async () => {
  const invitation = {
    invitation_id: "inv1",
    org_id: "acme",
    email: "new@example.com",
    role: "researcher" as const,
    invited_by: "user:u9",
    created_at: "2026-01-01T00:00:00Z",
    expires_at: "2026-01-08T00:00:00Z",
  };
  let me: Me = { ...ME, email: "new@example.com", org_id: null, role: null, orgs: [], invitations: [invitation] };
  const fake = renderProvider(me, {
    "GET /me": () => ({ status: 200, body: me }),
    "POST /me/invitations/inv1/accept": () => {
      me = { ...me, org_id: "acme", role: "researcher", orgs: [{ org_id: "acme", role: "researcher" }], invitations: [] };
      return { status: 200, body: { org_id: "acme", role: "researcher" } };
    },
  });
  expect(await screen.findByRole("heading", { name: "You are not in an organisation yet" })).toBeTruthy();
  expect(screen.getByTestId("my-invitation-inv1").textContent).toContain("You are invited to acme as Researcher");
  fireEvent.click(screen.getByRole("button", { name: "Accept" }));
  expect(await screen.findByText("role researcher in acme, 0 members")).toBeTruthy();
  expect(fake.requests.map((r) => r.route)).toContain("POST /me/invitations/inv1/accept");
});

it("keeps a disabled link from navigating", () => {
  let clicked = false;
  withRole(
    "viewer",
    <NeedsRole role="admin">
      <Button component="a" href="/integrations" onClick={(event) => (clicked = !event.defaultPrevented)}>
        Integrations
      </Button>
    </NeedsRole>,
  );
  const link = screen.getByText("Integrations").closest("a")!;
  expect(link.closest("[data-needs-role]")!.getAttribute("data-needs-role")).toBe("admin");
  fireEvent.click(link);
  expect(clicked).toBe(false);
});
