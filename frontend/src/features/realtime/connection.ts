/** The app's one realtime connection as React sees it: a store (state, reconnect attempt, latency,
 * last message) for `useSyncExternalStore`, and reference-counted topic subscriptions so any number
 * of components can follow the same topic and the last one to leave unsubscribes it. */
import { type ConnectionState, RealtimeClient, type ServerMessage } from "../../api/realtime";

export interface RealtimeSnapshot {
  state: ConnectionState;
  /** The reconnect attempt under way (1, 2, …) while `reconnecting`, else 0. */
  attempt: number;
  /** Round trip of the last `ping` (answered by a `pong` to this connection only), in ms. */
  latencyMs: number | null;
  lastMessage: ServerMessage | null;
}

export interface ConnectionOptions {
  /** How often the latency is measured while connected (the protocol's own `ping`/`pong`). */
  pingIntervalMs?: number;
  now?: () => number;
}

const PING_MARK = "latency";

export class RealtimeConnection {
  private snapshot: RealtimeSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly holds = new Map<string, number>();
  private readonly offs: (() => void)[] = [];
  private pinger: ReturnType<typeof setInterval> | null = null;
  private readonly now: () => number;
  private readonly pingIntervalMs: number;

  constructor(
    readonly client: RealtimeClient,
    options: ConnectionOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now());
    this.pingIntervalMs = options.pingIntervalMs ?? 30_000;
    this.snapshot = { state: client.state, attempt: 0, latencyMs: null, lastMessage: null };
  }

  start(): void {
    this.offs.push(
      this.client.onState((state) => {
        this.update({ state, attempt: state === "reconnecting" ? this.client.reconnectAttempts : 0 });
        if (state === "connected") this.startPinging();
        else this.stopPinging();
      }),
      this.client.onReconnectAttempt((attempt) => this.update({ attempt })),
      this.client.onMessage((message) => this.received(message)),
    );
    this.client.start();
  }

  stop(): void {
    this.client.stop();
    this.offs.splice(0).forEach((off) => off());
    this.stopPinging();
  }

  /** Follow `topics` until the returned function is called (each topic once per connection). */
  hold(topics: string[]): () => void {
    const added = topics.filter((topic) => {
      const count = this.holds.get(topic) ?? 0;
      this.holds.set(topic, count + 1);
      return count === 0;
    });
    if (added.length) this.client.subscribe(added);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const removed = topics.filter((topic) => {
        const count = (this.holds.get(topic) ?? 1) - 1;
        if (count <= 0) this.holds.delete(topic);
        else this.holds.set(topic, count);
        return count <= 0;
      });
      if (removed.length) this.client.unsubscribe(removed);
    };
  }

  held(): string[] {
    return [...this.holds.keys()];
  }

  onMessage(listener: (message: ServerMessage) => void): () => void {
    return this.client.onMessage(listener);
  }

  /** Measure the latency now (also done every `pingIntervalMs` while connected). */
  ping(): boolean {
    return this.client.ping([], { [PING_MARK]: this.now() });
  }

  /** Ping through the publish path: the `pong` comes back on `topic` (held by this connection),
   * proving that published messages reach this browser. */
  pingTopic(topic: string): boolean {
    return this.client.ping([topic], { sent: this.now() });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RealtimeSnapshot => this.snapshot;

  private received(message: ServerMessage): void {
    const data = message.type === "pong" && message.topic === null ? (message.payload.data as Record<string, unknown> | null) : null;
    const sent = data?.[PING_MARK];
    const latencyMs = typeof sent === "number" ? Math.max(0, Math.round(this.now() - sent)) : this.snapshot.latencyMs;
    this.update({ lastMessage: message, latencyMs });
  }

  private startPinging(): void {
    this.stopPinging();
    this.ping();
    this.pinger = setInterval(() => this.ping(), this.pingIntervalMs);
  }

  private stopPinging(): void {
    if (this.pinger !== null) clearInterval(this.pinger);
    this.pinger = null;
  }

  private update(patch: Partial<RealtimeSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.listeners.forEach((listener) => listener());
  }
}
