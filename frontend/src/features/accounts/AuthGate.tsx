import { Center, Loader } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useEffect, useState, useSyncExternalStore } from "react";
import { type AppConfig, dropLegacyKey, forgetApiKey, initialApiKey, storeApiKey } from "../../config";
import { CognitoClient } from "./cognito";
import { UserSession } from "./userSession";

const SignInPage = lazy(() => import("./SignInPage"));

/** How this tab is signed in: a person (Cognito tokens, refreshed by `session`) or an API key. */
export type Auth = { kind: "user"; session: UserSession; signOut: () => void } | { kind: "key"; apiKey: string; signOut: () => void };

const noSession = () => () => {};

/** Signed out: the sign-in page (at the URL asked for, so the app opens there once signed in).
 * Signed in: `children(auth)`. A reload signs in again from the tab's refresh token; a refused or
 * expired refresh comes back here. */
export function AuthGate({ config, children, session: given }: { config: AppConfig; children: (auth: Auth) => ReactNode; session?: UserSession }) {
  const [session] = useState(() => given ?? (config.cognito ? new UserSession(new CognitoClient(config.cognito)) : null));
  const tokens = useSyncExternalStore(session?.subscribe ?? noSession, () => session?.current ?? null);
  const [restoring, setRestoring] = useState(() => !!session?.restorable);
  const [apiKey, setApiKey] = useState<string | null>(() => initialApiKey(config));
  const queryClient = useQueryClient();
  const signedIn = !!(session && tokens) || !!apiKey;
  useEffect(dropLegacyKey, []);
  // Signed out (by hand, or a refused refresh): nothing of the previous person stays cached for the next.
  useEffect(() => {
    if (!signedIn) queryClient.clear();
  }, [signedIn, queryClient]);
  useEffect(() => {
    if (session?.restorable) void session.restore().finally(() => setRestoring(false));
  }, [session]);

  if (session && tokens) {
    const signOut = () => {
      session.signOut();
      window.history.replaceState(null, "", "/");
    };
    return children({ kind: "user", session, signOut });
  }
  if (apiKey) {
    const signOut = () => {
      forgetApiKey();
      setApiKey(null);
      window.history.replaceState(null, "", "/");
    };
    return children({ kind: "key", apiKey, signOut });
  }
  const loader = (
    <Center mih="100vh">
      <Loader />
    </Center>
  );
  if (restoring) return loader;
  return (
    <Suspense fallback={loader}>
      <SignInPage config={config} session={session} onKey={(key) => (storeApiKey(key, config), setApiKey(key))} />
    </Suspense>
  );
}
