import { Center, Loader } from "@mantine/core";
import { lazy, Suspense } from "react";
import type { AppConfig } from "../config";
import { AccountProvider } from "../features/accounts/AccountProvider";
import { AuthGate } from "../features/accounts/AuthGate";

/** The signed-in app (router, shell, realtime) is fetched as soon as this module runs, in parallel
 * with /config.json and the translations that main.tsx waits for before the first render: off the
 * first load's critical chunks (a signed-out visitor's sign-in page never waits for it) without a
 * later round trip for a signed-in one. */
const signedIn = import("./SignedIn");
const SignedIn = lazy(() => signedIn);

/** The sign-in gate (a person, or an API key), the account (who, which organisation, which role),
 * then the signed-in app. */
export function App({ config }: { config: AppConfig }) {
  return (
    <AuthGate config={config}>
      {(auth) => (
        <AccountProvider config={config} auth={auth}>
          {(session, credential) => (
            <Suspense
              fallback={
                <Center mih="100vh">
                  <Loader />
                </Center>
              }
            >
              <SignedIn session={session} credential={credential} />
            </Suspense>
          )}
        </AccountProvider>
      )}
    </AuthGate>
  );
}
