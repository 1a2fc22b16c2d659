import { Center, Loader } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, lazy, type ReactNode, Suspense, useCallback, useMemo, useState } from "react";
import { type Credential, createApi, unwrap } from "../../api/client";
import type { Session } from "../../app/ApiContext";
import type { AppConfig } from "../../config";
import { type Account, AccountContext, accountKeys, rememberedOrg, rememberOrg } from "./account";
import type { Auth } from "./AuthGate";

const Blocked = lazy(() => import("./AccountStates").then((m) => ({ default: m.Blocked })));
const NoOrganisation = lazy(() => import("./AccountStates").then((m) => ({ default: m.NoOrganisation })));

/** Who is signed in (`GET /me`) and in which organisation: picks the one remembered for this person
 * (else the first), signs every request with it (`X-Org-Id`), and gives `children` the session. A
 * switch drops every cached query of the previous organisation and remounts the app under the new one.
 * A person in no organisation yet sees their invitations instead of the app. */
export function AccountProvider({
  config,
  auth,
  fetch: fetchImpl,
  children,
}: {
  config: AppConfig;
  auth: Auth;
  /** For tests: the API's fetch. */
  fetch?: typeof fetch;
  children: (session: Session, credential: Credential) => ReactNode;
}) {
  const queryClient = useQueryClient();
  const base: Credential = useMemo(
    () => (auth.kind === "key" ? auth.apiKey : async () => ({ Authorization: `Bearer ${await auth.session.idToken()}` })),
    [auth],
  );
  const meApi = useMemo(() => createApi({ baseUrl: config.apiUrl, apiKey: base, fetch: fetchImpl }), [config.apiUrl, base, fetchImpl]);
  const me = useQuery({ queryKey: accountKeys.me, queryFn: () => unwrap(meApi.GET("/me")), staleTime: 60_000 });
  const [picked, setPicked] = useState<string | null>(null);
  const orgId = picked ?? (me.data ? rememberedOrg(me.data) : null);

  const credential: Credential = useMemo(() => async () => ({ ...(await credentialOf(base)), ...(orgId ? { "X-Org-Id": orgId } : {}) }), [base, orgId]);
  const api = useMemo(() => createApi({ baseUrl: config.apiUrl, apiKey: credential, fetch: fetchImpl }), [config.apiUrl, credential, fetchImpl]);
  const session: Session = useMemo(
    () => ({
      api,
      config,
      apiKey: auth.kind === "key" ? auth.apiKey : null,
      signOut: auth.kind === "key" && auth.apiKey !== config.apiKey ? auth.signOut : undefined,
    }),
    [api, config, auth],
  );
  const switchOrg = useCallback(
    (next: string) => {
      if (!me.data || next === orgId) return;
      rememberOrg(me.data, next);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== accountKeys.me[0] });
      setPicked(next);
    },
    [me.data, orgId, queryClient],
  );
  const account: Account | null = useMemo(() => {
    if (!me.data) return null;
    const role = me.data.kind === "key" ? me.data.role : (me.data.orgs.find((org) => org.org_id === orgId)?.role ?? null);
    return { me: me.data, orgId, role, switchOrg, signOut: auth.signOut, userSession: auth.kind === "user" ? auth.session : null };
  }, [me.data, orgId, switchOrg, auth]);

  const loader = (
    <Center mih="100vh">
      <Loader />
    </Center>
  );
  if (me.error)
    return (
      <Suspense fallback={loader}>
        <Blocked error={me.error} onSignOut={auth.signOut} />
      </Suspense>
    );
  if (!account) return loader;
  return (
    <AccountContext.Provider value={account}>
      {account.orgId ? (
        <Fragment key={account.orgId}>{children(session, credential)}</Fragment>
      ) : (
        <Suspense fallback={loader}>
          <NoOrganisation api={meApi} />
        </Suspense>
      )}
    </AccountContext.Provider>
  );
}

function credentialOf(credential: Credential): Promise<Record<string, string>> | Record<string, string> {
  return typeof credential === "string" ? { Authorization: `Bearer ${credential}` } : credential();
}
