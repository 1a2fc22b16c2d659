/** The signed-in app: session (typed client), one realtime connection whose events refresh the
 * cached queries, the data router and the shell. Its own chunk (see App.tsx): the sign-in page and
 * the account check do not need the router, the shell or the realtime client. */
import { useState } from "react";
import { RouterProvider } from "react-router";
import type { Credential } from "../api/client";
import { RealtimeInvalidation } from "../features/realtime/RealtimeInvalidation";
import { RealtimeProvider } from "../features/realtime/RealtimeProvider";
import { type Session, SessionProvider } from "./ApiContext";
import { createAppRouter } from "./router";

export default function SignedIn({ session, credential }: { session: Session; credential: Credential }) {
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
