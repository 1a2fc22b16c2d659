import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AsWebSocket, FakeSocket } from "../test/fakeSocket";
import { backoffDelay, type ConnectionState, RealtimeClient, type ServerMessage } from "./realtime";

function client() {
  const states: ConnectionState[] = [];
  const made = new RealtimeClient({
    url: "ws://127.0.0.1:8000/ws",
    token: "tw_a b",
    backoff: { initialMs: 100, maxMs: 1000 },
    random: () => 1,
    WebSocketImpl: AsWebSocket,
  });
  made.onState((state) => states.push(state));
  return { made, states };
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe("RealtimeClient", () => {
  it("connects with the token, subscribes on open and delivers messages", () => {
    const { made, states } = client();
    const received: ServerMessage[] = [];
    made.onMessage((message) => received.push(message));
    made.subscribe(["health"]);
    made.start();
    const socket = FakeSocket.instances[0];
    expect(socket.url).toBe("ws://127.0.0.1:8000/ws?token=tw_a%20b");
    socket.serverOpens();
    expect(socket.sent).toEqual([{ action: "subscribe", topics: ["health"] }]);
    const message = { type: "pong", topic: "health", ts: "2025-01-01T00:00:00.000Z", payload: {} };
    socket.serverSends(message);
    expect(received).toEqual([message]);
    expect(states).toEqual(["connecting", "connected"]);
  });

  it("reconnects with growing delays and resubscribes everything", () => {
    const { made, states } = client();
    made.start();
    FakeSocket.instances[0].serverOpens();
    made.subscribe(["job:1"]);
    made.unsubscribe(["job:1"]);
    made.subscribe(["notifications"]);
    FakeSocket.instances[0].serverDrops();
    expect(states.at(-1)).toBe("reconnecting");
    vi.advanceTimersByTime(99);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.instances[1].serverDrops();
    vi.advanceTimersByTime(199);
    expect(FakeSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    const third = FakeSocket.instances[2];
    third.serverOpens();
    expect(third.sent).toEqual([{ action: "subscribe", topics: ["notifications"] }]);
    expect(states.at(-1)).toBe("connected");
  });

  it("stops for good", () => {
    const { made, states } = client();
    made.start();
    FakeSocket.instances[0].serverOpens();
    made.stop();
    FakeSocket.instances[0].serverDrops();
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(states.at(-1)).toBe("closed");
    expect(made.ping()).toBe(false);
  });
});

it("pings while connected so an idle connection is not closed, and stops when dropped", () => {
  const made = new RealtimeClient({ url: "ws://x/ws", token: "k", heartbeatMs: 1000, WebSocketImpl: AsWebSocket });
  made.start();
  const socket = FakeSocket.instances[0];
  socket.serverOpens();
  vi.advanceTimersByTime(2500);
  expect(socket.sent).toEqual([
    { action: "ping", topics: [], data: {} },
    { action: "ping", topics: [], data: {} },
  ]);
  socket.serverDrops();
  vi.advanceTimersByTime(1000);
  expect(socket.sent).toHaveLength(2);
  made.stop();
});

describe("backoffDelay", () => {
  it("doubles, caps and jitters between half and all of the ceiling", () => {
    const backoff = { initialMs: 500, maxMs: 30_000 };
    expect([0, 1, 2, 10].map((n) => backoffDelay(n, backoff, () => 1))).toEqual([500, 1000, 2000, 30_000]);
    expect(backoffDelay(3, backoff, () => 0)).toBe(2000);
  });
});
