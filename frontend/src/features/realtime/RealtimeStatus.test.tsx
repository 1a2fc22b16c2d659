import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, expect, it } from "vitest";
import { AsWebSocket, FakeSocket } from "../../test/fakeSocket";
import { RealtimeStatus } from "./RealtimeStatus";
import { useRealtime } from "./useRealtime";

function Live() {
  return <RealtimeStatus view={useRealtime({ url: "ws://x/ws", token: "tw_k", WebSocketImpl: AsWebSocket }, ["health", "notifications"])} />;
}

beforeEach(() => {
  FakeSocket.instances = [];
});
afterEach(cleanup);

it("shows the live state and pings the delivery path only once subscribed", async () => {
  render(<Live />);
  expect(screen.getByTestId("ws-state").textContent).toBe("connecting");
  const socket = FakeSocket.last();
  act(() => socket.serverOpens());
  expect(screen.getByTestId("ws-state").textContent).toBe("connected");
  expect(socket.sent).toEqual([{ action: "subscribe", topics: ["health", "notifications"] }]);

  act(() => socket.serverSends({ type: "subscribed", topic: null, ts: "t1", payload: { topics: ["health", "notifications"] } }));
  expect(socket.sent[1]).toMatchObject({ action: "ping", topics: ["health"] });

  const sent = (socket.sent[1].data as { sent: number }).sent;
  act(() => socket.serverSends({ type: "pong", topic: "health", ts: "t2", payload: { data: { sent }, connection_id: "c" } }));
  expect(screen.getByTestId("ws-last-message").textContent).toBe("pong on health at t2");
  expect(screen.getByText(/delivery round trip \d+ ms/)).toBeTruthy();

  act(() => socket.serverDrops());
  expect(screen.getByTestId("ws-state").textContent).toBe("reconnecting");
});
