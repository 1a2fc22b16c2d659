import { useEffect, useState } from "react";
import { type ConnectionState, RealtimeClient, type RealtimeOptions, type ServerMessage } from "../../api/realtime";

export interface RealtimeView {
  state: ConnectionState;
  lastMessage: ServerMessage | null;
  roundTripMs: number | null;
  client: RealtimeClient | null;
}

/** Keep one realtime connection open while mounted; subscribe to `topics` and, once subscribed,
 * ping the first of them through the publish path so the page shows that messages really arrive,
 * and how fast (again after every reconnect). */
export function useRealtime(options: RealtimeOptions, topics: string[]): RealtimeView {
  const [view, setView] = useState<RealtimeView>({ state: "closed", lastMessage: null, roundTripMs: null, client: null });
  const topicKey = topics.join(",");
  const { url, token, WebSocketImpl } = options;
  useEffect(() => {
    const client = new RealtimeClient({ url, token, WebSocketImpl });
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
  }, [url, token, WebSocketImpl, topicKey]);
  return view;
}
