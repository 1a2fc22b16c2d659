import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { RealtimeClient } from "../../api/realtime";
import { AsWebSocket, FakeSocket } from "../../test/fakeSocket";
import { RealtimeConnection } from "./connection";

let now = 1_000;

function made() {
  const client = new RealtimeClient({
    url: "ws://x/ws",
    ticket: async () => "t",
    WebSocketImpl: AsWebSocket,
    backoff: { initialMs: 100, maxMs: 100 },
    random: () => 1,
  });
  return new RealtimeConnection(client, { now: () => now, pingIntervalMs: 30_000 });
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

it("holds topics by reference count: subscribed once, unsubscribed when the last holder leaves", async () => {
  const connection = made();
  connection.start();
  await vi.advanceTimersByTimeAsync(0);
  const socket = FakeSocket.last();
  socket.serverOpens();
  const first = connection.hold(["job:1", "notifications"]);
  const second = connection.hold(["job:1"]);
  first();
  first(); // releasing twice is harmless
  expect(connection.held()).toEqual(["job:1"]);
  second();
  const actions = socket.sent.filter((s) => s.action !== "ping");
  expect(actions).toEqual([
    { action: "subscribe", topics: ["job:1", "notifications"] },
    { action: "unsubscribe", topics: ["notifications"] },
    { action: "unsubscribe", topics: ["job:1"] },
  ]);
});

it("measures the latency with the protocol's ping and counts reconnect attempts", async () => {
  const connection = made();
  const changes = vi.fn();
  connection.subscribe(changes);
  connection.start();
  await vi.advanceTimersByTimeAsync(0);
  FakeSocket.last().serverOpens();
  expect(connection.getSnapshot().state).toBe("connected");
  const ping = FakeSocket.last().sent.find((s) => s.action === "ping")!;
  expect(ping).toEqual({ action: "ping", topics: [], data: { latency: 1_000 } });
  now = 1_042;
  FakeSocket.last().serverSends({ type: "pong", topic: null, ts: "t", payload: { data: { latency: 1_000 }, connection_id: "c" } });
  expect(connection.getSnapshot().latencyMs).toBe(42);
  // a pong published on a topic (someone's delivery check) is not a latency sample
  FakeSocket.last().serverSends({ type: "pong", topic: "health", ts: "t", payload: { data: { latency: 0 }, connection_id: "c" } });
  expect(connection.getSnapshot().latencyMs).toBe(42);

  FakeSocket.last().serverDrops();
  expect(connection.getSnapshot()).toMatchObject({ state: "reconnecting", attempt: 1 });
  await vi.advanceTimersByTimeAsync(100);
  FakeSocket.last().serverDrops();
  expect(connection.getSnapshot()).toMatchObject({ state: "reconnecting", attempt: 2 });
  await vi.advanceTimersByTimeAsync(100);
  FakeSocket.last().serverOpens();
  expect(connection.getSnapshot()).toMatchObject({ state: "connected", attempt: 0 });
  expect(changes).toHaveBeenCalled();
  connection.stop();
  expect(connection.getSnapshot().state).toBe("closed");
});
