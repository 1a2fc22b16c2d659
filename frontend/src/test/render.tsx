import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement, ReactNode } from "react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { createApi } from "../api/client";
import { SessionProvider } from "../app/ApiContext";
import { Providers } from "../app/Providers";
import type { AppConfig } from "../config";
import { type Account, AccountContext, type Role } from "../features/accounts/account";
import type { RealtimeConnection } from "../features/realtime/connection";
import { RealtimeInvalidation } from "../features/realtime/RealtimeInvalidation";
import { ConnectionProvider } from "../features/realtime/RealtimeProvider";
import { createI18n, type Language } from "../i18n";
import { resources } from "../i18n/resources";

export interface AppOptions {
  fetch: typeof fetch;
  connection?: RealtimeConnection | null;
  language?: Language;
  queryClient?: QueryClient;
  signOut?: () => void;
  /** Signed in with this role (useCan, NeedsRole, the nav); without it, nothing is restricted. */
  role?: Role;
}

export const TEST_CONFIG: AppConfig = { apiUrl: "http://api.test", wsUrl: "ws://api.test/ws", stage: "test" };

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
}

/** A person of organisation "acme" with `role` there. */
export function testAccount(role: Role): Account {
  return {
    me: { kind: "user", actor: "user:u1", user_id: "u1", email: "ann@example.com", org_id: "acme", role, scopes: [], orgs: [], invitations: [] },
    orgId: "acme",
    role,
    switchOrg: () => undefined,
    signOut: () => undefined,
  };
}

/** Everything a page needs (theme, i18n, query client, session with a fake API, realtime). */
export function AppHarness({ options, children }: { options: AppOptions; children: ReactNode }) {
  const api = createApi({ baseUrl: TEST_CONFIG.apiUrl, apiKey: "tw_test", fetch: options.fetch });
  return (
    <Providers i18n={createI18n(options.language ?? "en", resources)} queryClient={options.queryClient ?? testQueryClient()}>
      <SessionProvider session={{ api, config: TEST_CONFIG, apiKey: "tw_test", signOut: options.signOut }}>
        <ConnectionProvider connection={options.connection ?? null}>
          <RealtimeInvalidation />
          {options.role ? <AccountContext.Provider value={testAccount(options.role)}>{children}</AccountContext.Provider> : children}
        </ConnectionProvider>
      </SessionProvider>
    </Providers>
  );
}

/** One component (a page, a panel) with everything it needs, at `path` of a memory data router (as
 * the app's: `useBlocker` works); `ui` may hold its own `<Routes>`. `router` navigates in a test. */
export function renderWithApp(ui: ReactElement, options: AppOptions & { path?: string }) {
  const router = createMemoryRouter([{ path: "*", element: ui }], { initialEntries: [options.path ?? "/"] });
  return {
    ...render(
      <AppHarness options={options}>
        <RouterProvider router={router} />
      </AppHarness>,
    ),
    router,
  };
}
