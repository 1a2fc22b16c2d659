import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { AsWebSocket, FakeSocket } from "../../test/fakeSocket";
import { RealtimeStatus } from "./RealtimeStatus";
import { useRealtime } from "./useRealtime";

const fetchImpl = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response(JSON.stringify({ ticket: "tk", expires_in: 60, url: null }), { status: 201 }));

function Live() {
  const view = useRealtime(
    { url: "ws://x/ws", apiUrl: "http://api", apiKey: "tw_k", WebSocketImpl: AsWebSocket, fetchImpl: fetchImpl as typeof fetch },
    ["health", "notifications"],
  );
  return <RealtimeStatus view={view} />;
}

beforeEach(() => {
  FakeSocket.instances = [];
  fetchImpl.mockClear();
});
afterEach(cleanup);

it("connects with a ticket fetched with the key in a header, never the key in the URL", async () => {
  render(<Live />);
  await act(async () => {});
  expect(fetchImpl).toHaveBeenCalledTimes(1);
  const [url, init] = fetchImpl.mock.calls[0];
  expect(url).toBe("http://api/realtime/tickets");
  expect(init).toMatchObject({ method: "POST", headers: { Authorization: "Bearer tw_k" } });
  expect(FakeSocket.last().url).toBe("ws://x/ws?ticket=tk");
  expect(FakeSocket.last().url).not.toContain("tw_k");
});

it("shows the live state and pings the delivery path only once subscribed", async () => {
  render(<Live />);
  expect(screen.getByTestId("ws-state").textContent).toBe("connecting");
  await act(async () => {});
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
