import type { RealtimeView } from "./useRealtime";

/** The WebSocket connection state, live, and the last message the server pushed. */
export function RealtimeStatus({ view }: { view: RealtimeView }) {
  const { state, lastMessage, roundTripMs, client } = view;
  return (
    <section className="panel" aria-labelledby="realtime-title">
      <h2 id="realtime-title">
        Realtime: <span className={`status status-${state}`} data-testid="ws-state">{state}</span>
      </h2>
      {roundTripMs !== null && <p className="muted">delivery round trip {roundTripMs} ms</p>}
      <p>
        Last message:{" "}
        {lastMessage ? (
          <code data-testid="ws-last-message">
            {lastMessage.type}
            {lastMessage.topic ? ` on ${lastMessage.topic}` : ""} at {lastMessage.ts}
          </code>
        ) : (
          <span className="muted">none yet</span>
        )}
      </p>
      <button type="button" disabled={state !== "connected"} onClick={() => client?.ping(["health"], { sent: Date.now() })}>
        Ping
      </button>
    </section>
  );
}
