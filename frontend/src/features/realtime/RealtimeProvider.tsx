import { createContext, type ReactNode, useContext, useEffect, useMemo, useSyncExternalStore } from "react";
import type { Credential } from "../../api/client";
import { apiTickets, RealtimeClient, type ServerMessage } from "../../api/realtime";
import { RealtimeConnection, type RealtimeSnapshot } from "./connection";

const Context = createContext<RealtimeConnection | null>(null);

export interface RealtimeProviderProps {
  /** The WebSocket URL (`wsUrl` of /config.json). */
  url: string;
  /** Tickets come from `POST {apiUrl}/realtime/tickets`, paid for with `apiKey` (a key, or a person's headers). */
  apiUrl: string;
  apiKey: Credential;
  WebSocketImpl?: typeof WebSocket;
  fetchImpl?: typeof fetch;
  children: ReactNode;
}

/** One realtime connection for the whole app while mounted (a new ticket for every (re)connect). */
export function RealtimeProvider({ url, apiUrl, apiKey, WebSocketImpl, fetchImpl, children }: RealtimeProviderProps) {
  const connection = useMemo(
    () => new RealtimeConnection(new RealtimeClient({ url, ticket: apiTickets(apiUrl, apiKey, fetchImpl), WebSocketImpl })),
    [url, apiUrl, apiKey, WebSocketImpl, fetchImpl],
  );
  useEffect(() => {
    connection.start();
    return () => connection.stop();
  }, [connection]);
  return <Context.Provider value={connection}>{children}</Context.Provider>;
}

/** The connection (null outside a provider, as in most unit tests). */
export function useRealtimeConnection(): RealtimeConnection | null {
  return useContext(Context);
}

const CLOSED: RealtimeSnapshot = { state: "closed", attempt: 0, latencyMs: null, lastMessage: null };
const noStore = () => () => {};

/** State, reconnect attempt, latency and last message, re-rendering on change. */
export function useRealtimeStatus(): RealtimeSnapshot {
  const connection = useRealtimeConnection();
  return useSyncExternalStore(connection?.subscribe ?? noStore, connection?.getSnapshot ?? (() => CLOSED));
}

/** Follow `topics` while mounted (reference-counted: shared topics stay until the last one leaves). */
export function useTopics(topics: string[]): void {
  const connection = useRealtimeConnection();
  const key = [...new Set(topics)].sort().join(",");
  useEffect(() => {
    if (!connection || !key) return;
    return connection.hold(key.split(","));
  }, [connection, key]);
}

/** Call `listener` with every message while mounted (keep `listener` stable, e.g. with useCallback). */
export function useRealtimeMessages(listener: (message: ServerMessage) => void): void {
  const connection = useRealtimeConnection();
  useEffect(() => connection?.onMessage(listener), [connection, listener]);
}

/** Provide a ready connection (tests, or an app that builds its own). */
export function ConnectionProvider({ connection, children }: { connection: RealtimeConnection | null; children: ReactNode }) {
  return <Context.Provider value={connection}>{children}</Context.Provider>;
}
