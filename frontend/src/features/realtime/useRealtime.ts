import { useEffect, useState } from "react";
import { apiTickets, type ConnectionState, RealtimeClient, type ServerMessage } from "../../api/realtime";

export interface RealtimeView {
  state: ConnectionState;
  lastMessage: ServerMessage | null;
  roundTripMs: number | null;
  client: RealtimeClient | null;
}

export interface RealtimeHookOptions {
  /** The WebSocket URL (`wsUrl` of /config.json). */
  url: string;
  /** The API the tickets come from (`POST {apiUrl}/realtime/tickets`) and the key that pays for them. */
  apiUrl: string;
  apiKey: string;
  WebSocketImpl?: typeof WebSocket;
  fetchImpl?: typeof fetch;
}

/** Keep one realtime connection open while mounted (a new ticket for every (re)connect); subscribe
 * to `topics` and, once subscribed, ping the first of them through the publish path so the page
 * shows that messages really arrive, and how fast (again after every reconnect). */
export function useRealtime(options: RealtimeHookOptions, topics: string[]): RealtimeView {
  const [view, setView] = useState<RealtimeView>({ state: "closed", lastMessage: null, roundTripMs: null, client: null });
  const topicKey = topics.join(",");
  const { url, apiUrl, apiKey, WebSocketImpl, fetchImpl } = options;
  useEffect(() => {
    const client = new RealtimeClient({ url, ticket: apiTickets(apiUrl, apiKey, fetchImpl), WebSocketImpl });
    const wanted = topicKey ? topicKey.split(",") : [];
    const offState = client.onState((state) => setView((current) => ({ ...current, state })));
    const offMessage = client.onMessage((message) => {
      // Actions may be handled concurrently (as in API Gateway): ping only once the ack is back.
      const acked = message.type === "subscribed" ? (message.payload.topics as string[]) : [];
      if (wanted.length && acked.includes(wanted[0])) client.ping([wanted[0]], { sent: Date.now() });
      const sent = message.type === "pong" ? (message.payload.data as { sent?: number } | null)?.sent : undefined;
      setView((current) => ({
        ...current,
        lastMessage: message,
        roundTripMs: typeof sent === "number" ? Date.now() - sent : current.roundTripMs,
      }));
    });
    client.subscribe(wanted);
    client.start();
    setView((current) => ({ ...current, client }));
    return () => {
      offState();
      offMessage();
      client.stop();
    };
  }, [url, apiUrl, apiKey, WebSocketImpl, fetchImpl, topicKey]);
  return view;
}
