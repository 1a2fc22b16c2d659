import { act } from "@testing-library/react";
import { RealtimeClient, type ServerMessage } from "../api/realtime";
import { RealtimeConnection } from "../features/realtime/connection";
import { AsWebSocket, FakeSocket } from "./fakeSocket";

/** A started connection over a fake socket the test plays the server of. */
export async function connected(): Promise<{ connection: RealtimeConnection; socket: FakeSocket }> {
  const connection = new RealtimeConnection(new RealtimeClient({ url: "ws://x/ws", ticket: async () => "ticket", WebSocketImpl: AsWebSocket }));
  connection.start();
  await act(async () => {}); // the ticket arrives, then the socket opens
  const socket = FakeSocket.last();
  act(() => socket.serverOpens());
  return { connection, socket };
}

/** The server pushes a message; resolves once TanStack Query has notified (it batches on a timer). */
export async function push(socket: FakeSocket, type: string, topic: string | null, payload: Record<string, unknown>) {
  const message: ServerMessage = { type, topic, ts: "2025-01-01T00:00:01.000Z", payload };
  await act(async () => {
    socket.serverSends(message);
    await new Promise((resolve) => setTimeout(resolve, 5));
  });
}
