import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AsWebSocket, FakeSocket } from "../test/fakeSocket";
import { apiTickets, backoffDelay, type ConnectionState, RealtimeClient, type ServerMessage, TicketRefused } from "./realtime";

/** Tickets "t1", "t2", … one per call, as the API hands them out; `refuse` makes the next calls fail. */
function tickets() {
  let issued = 0;
  const source = { refuse: false, calls: 0 };
  const next = vi.fn(async () => {
    source.calls += 1;
    if (source.refuse) throw new TicketRefused(503);
    issued += 1;
    return `t${issued} /+`;
  });
  return { source, next };
}

function client() {
  const states: ConnectionState[] = [];
  const ticketing = tickets();
  const made = new RealtimeClient({
    url: "ws://127.0.0.1:8000/ws",
    ticket: ticketing.next,
    backoff: { initialMs: 100, maxMs: 1000 },
    random: () => 1,
    WebSocketImpl: AsWebSocket,
  });
  made.onState((state) => states.push(state));
  return { made, states, ticketing };
}

/** Let the ticket promise settle (fake timers do not run microtasks by themselves). */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe("RealtimeClient", () => {
  it("connects with a fresh ticket, never the key, subscribes on open and delivers messages", async () => {
    const { made, states } = client();
    const received: ServerMessage[] = [];
    made.onMessage((message) => received.push(message));
    made.subscribe(["health"]);
    made.start();
    expect(FakeSocket.instances).toHaveLength(0); // the ticket first
    await settle();
    const socket = FakeSocket.instances[0];
    expect(socket.url).toBe("ws://127.0.0.1:8000/ws?ticket=t1%20%2F%2B");
    expect(socket.url).not.toContain("token");
    socket.serverOpens();
    expect(socket.sent).toEqual([{ action: "subscribe", topics: ["health"] }]);
    const message = { type: "pong", topic: "health", ts: "2025-01-01T00:00:00.000Z", payload: {} };
    socket.serverSends(message);
    expect(received).toEqual([message]);
    expect(states).toEqual(["connecting", "connected"]);
  });

  it("gets a new ticket for every reconnect (a ticket works once), with growing delays, and resubscribes", async () => {
    const { made, states, ticketing } = client();
    made.start();
    await settle();
    FakeSocket.instances[0].serverOpens();
    made.subscribe(["job:1"]);
    made.unsubscribe(["job:1"]);
    made.subscribe(["notifications"]);
    FakeSocket.instances[0].serverDrops();
    expect(states.at(-1)).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(99);
    expect(FakeSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.instances).toHaveLength(2);
    expect(FakeSocket.instances[1].url).toContain("?ticket=t2");
    FakeSocket.instances[1].serverDrops();
    await vi.advanceTimersByTimeAsync(199);
    expect(FakeSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    const third = FakeSocket.instances[2];
    expect(third.url).toContain("?ticket=t3");
    expect(ticketing.next).toHaveBeenCalledTimes(3);
    third.serverOpens();
    expect(third.sent).toEqual([{ action: "subscribe", topics: ["notifications"] }]);
    expect(states.at(-1)).toBe("connected");
  });

  it("backs off when no ticket can be had, and connects once one comes", async () => {
    const { made, states, ticketing } = client();
    ticketing.source.refuse = true;
    made.start();
    await settle();
    expect(FakeSocket.instances).toHaveLength(0);
    expect(states).toEqual(["connecting", "reconnecting"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(ticketing.source.calls).toBe(2);
    ticketing.source.refuse = false;
    await vi.advanceTimersByTimeAsync(200);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(FakeSocket.instances[0].url).toContain("?ticket=t1");
  });

  it("stops for good, even with a ticket on its way", async () => {
    const { made, states } = client();
    made.start();
    await settle();
    FakeSocket.instances[0].serverOpens();
    made.stop();
    FakeSocket.instances[0].serverDrops();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(states.at(-1)).toBe("closed");
    expect(made.ping()).toBe(false);

    const late = client();
    late.made.start();
    late.made.stop(); // before the ticket arrives
    await settle();
    expect(FakeSocket.instances).toHaveLength(1);
  });
});

it("pings while connected so an idle connection is not closed, and stops when dropped", async () => {
  const made = new RealtimeClient({
    url: "ws://x/ws",
    ticket: async () => "t",
    heartbeatMs: 1000,
    WebSocketImpl: AsWebSocket,
  });
  made.start();
  await settle();
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

describe("apiTickets", () => {
  it("posts with the key in a header and returns the ticket", async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ ticket: "abc", expires_in: 60, url: null }), { status: 201 }));
    await expect(apiTickets("http://api", "tw_key", fetchImpl)()).resolves.toBe("abc");
    expect(fetchImpl).toHaveBeenCalledWith("http://api/realtime/tickets", {
      method: "POST",
      headers: { Authorization: "Bearer tw_key" },
      cache: "no-store",
    });
  });

  it("fails with the status when the API refuses", async () => {
    const fetchImpl = vi.fn(async () => new Response("{}", { status: 401 }));
    await expect(apiTickets("", "tw_revoked", fetchImpl)()).rejects.toEqual(new TicketRefused(401));
  });
});

describe("backoffDelay", () => {
  it("doubles, caps and jitters between half and all of the ceiling", () => {
    const backoff = { initialMs: 500, maxMs: 30_000 };
    expect([0, 1, 2, 10].map((n) => backoffDelay(n, backoff, () => 1))).toEqual([500, 1000, 2000, 30_000]);
    expect(backoffDelay(3, backoff, () => 0)).toBe(2000);
  });
});
