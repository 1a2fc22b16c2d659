import type { ServerMessage } from "../api/realtime";

/** A stand-in for the browser's WebSocket: records what is sent, lets a test play the server. */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  static last(): FakeSocket {
    return FakeSocket.instances[FakeSocket.instances.length - 1];
  }

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }

  close() {
    this.readyState = 3;
  }

  serverOpens() {
    this.readyState = 1;
    this.onopen?.();
  }

  serverSends(message: ServerMessage) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  serverDrops() {
    this.readyState = 3;
    this.onclose?.();
  }
}

export const AsWebSocket = FakeSocket as unknown as typeof WebSocket;
