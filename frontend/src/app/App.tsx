import { useState } from "react";
import { RouterProvider } from "react-router";
import type { Credential } from "../api/client";
import type { AppConfig } from "../config";
import { AccountProvider } from "../features/accounts/AccountProvider";
import { AuthGate } from "../features/accounts/AuthGate";
import { RealtimeInvalidation } from "../features/realtime/RealtimeInvalidation";
import { RealtimeProvider } from "../features/realtime/RealtimeProvider";
import { type Session, SessionProvider } from "./ApiContext";
import { createAppRouter } from "./router";

/** The sign-in gate (a person, or an API key), the account (who, which organisation, which role),
 * then the signed-in app: session (typed client), one realtime connection whose events refresh the
 * cached queries, and the router. */
export function App({ config }: { config: AppConfig }) {
  return (
    <AuthGate config={config}>
      {(auth) => (
        <AccountProvider config={config} auth={auth}>
          {(session, credential) => <SignedIn session={session} credential={credential} />}
        </AccountProvider>
      )}
    </AuthGate>
  );
}

function SignedIn({ session, credential }: { session: Session; credential: Credential }) {
  const [router] = useState(() => createAppRouter());
  return (
    <SessionProvider session={session}>
      <RealtimeProvider url={session.config.wsUrl} apiUrl={session.config.apiUrl} apiKey={credential}>
        <RealtimeInvalidation />
        <RouterProvider router={router} />
      </RealtimeProvider>
    </SessionProvider>
  );
}
