import { lazy, Suspense, useMemo, useState } from "react";
import { RouterProvider } from "react-router";
import { createApi } from "../api/client";
import { type AppConfig, forgetApiKey, initialApiKey, storeApiKey } from "../config";
import { RealtimeInvalidation } from "../features/realtime/RealtimeInvalidation";
import { RealtimeProvider } from "../features/realtime/RealtimeProvider";
import { SessionProvider } from "./ApiContext";
import { createAppRouter } from "./router";

const KeyPage = lazy(() => import("../features/auth/KeyForm").then((m) => ({ default: m.KeyPage })));

/** The API-key gate, then the signed-in app: session (typed client), one realtime connection whose
 * events refresh the cached queries, and the router. */
export function App({ config }: { config: AppConfig }) {
  const [apiKey, setApiKey] = useState<string | null>(() => initialApiKey(config));
  if (!apiKey)
    return (
      <Suspense>
        <KeyPage onKey={(key) => (storeApiKey(key), setApiKey(key))} />
      </Suspense>
    );
  const signOut = config.apiKey ? undefined : () => (forgetApiKey(), setApiKey(null));
  return <SignedIn config={config} apiKey={apiKey} signOut={signOut} />;
}

function SignedIn({ config, apiKey, signOut }: { config: AppConfig; apiKey: string; signOut?: () => void }) {
  const api = useMemo(() => createApi({ baseUrl: config.apiUrl, apiKey }), [config.apiUrl, apiKey]);
  const session = useMemo(() => ({ api, config, apiKey, signOut }), [api, config, apiKey, signOut]);
  const [router] = useState(() => createAppRouter());
  return (
    <SessionProvider session={session}>
      <RealtimeProvider url={config.wsUrl} apiUrl={config.apiUrl} apiKey={apiKey}>
        <RealtimeInvalidation />
        <RouterProvider router={router} />
      </RealtimeProvider>
    </SessionProvider>
  );
}
