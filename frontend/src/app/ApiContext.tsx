import { createContext, type ReactNode, useContext } from "react";
import type { Api } from "../api/client";
import type { AppConfig } from "../config";

export interface Session {
  api: Api;
  config: AppConfig;
  apiKey: string;
  /** Forget the key typed into this browser (absent when the key comes from /config.json). */
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

/** The typed API client, signed with the session's key: `unwrap(useApi().GET("/datasets"))`. */
export function useApi(): Api {
  return useSession().api;
}
