import { createContext, type ReactNode, useContext } from "react";
import type { Api } from "../api/client";
import type { AppConfig } from "../config";

export interface Session {
  api: Api;
  config: AppConfig;
  /** The API key this browser signs with; null for a signed-in person (features/accounts). */
  apiKey: string | null;
  /** Forget the key typed into this browser (absent for a person or the key of /config.json). */
  signOut?: () => void;
}

const Context = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <Context.Provider value={session}>{children}</Context.Provider>;
}

export function useSession(): Session {
  const session = useContext(Context);
  if (!session) throw new Error("useSession outside <SessionProvider>");
  return session;
}

/** The typed API client, signed with the session's credential: `unwrap(useApi().GET("/datasets"))`. */
export function useApi(): Api {
  return useSession().api;
}
