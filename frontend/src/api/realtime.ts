/** WebSocket client of the realtime API (docs/websocket.md): fetches a single-use ticket before
 * every (re)connect and opens the socket with ?ticket= (the API key never goes into a URL), keeps its
 * subscriptions across reconnects, and reconnects with capped exponential backoff and jitter. */
import { type Credential, credentialHeaders } from "./client";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "closed";

/** Every server message has this envelope; `topic` is null for replies to this connection. */
export interface ServerMessage<P = Record<string, unknown>> {
  type: string;
  topic: string | null;
  ts: string;
  payload: P;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** Answer of `POST /realtime/tickets`. */
export interface RealtimeTicket {
  ticket: string;
  expires_in: number;
  url: string | null;
}

/** A function that gets a fresh ticket; called before every connection attempt (a ticket works once
 * and for 60 s only, so none is kept). */
export type TicketSource = () => Promise<string>;

export class TicketRefused extends Error {
  constructor(readonly status: number) {
    super(`POST /realtime/tickets answered ${status}`);
  }
}

/** Tickets from the API, authenticated with the credential in a header (a key, or a person's ID token and organisation). */
export function apiTickets(apiUrl: string, apiKey: Credential, fetchImpl: typeof fetch = (...args) => fetch(...args)): TicketSource {
  return async () => {
    const response = await fetchImpl(`${apiUrl}/realtime/tickets`, {
      method: "POST",
      headers: await credentialHeaders(apiKey),
      cache: "no-store",
    });
    if (!response.ok) throw new TicketRefused(response.status);
    return ((await response.json()) as RealtimeTicket).ticket;
  };
}

export interface RealtimeOptions {
  url: string;
  ticket: TicketSource;
  backoff?: Backoff;
  /** Idle connections are closed by API Gateway after 10 minutes: ping before that. */
  heartbeatMs?: number;
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
}

/** Delay before reconnect attempt `attempt` (0-based): doubling, capped, with 50–100 % jitter so a
 * restarted server is not hit by every browser at the same instant. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

type Listener<T> = (value: T) => void;

export class RealtimeClient {
  private socket: WebSocket | null = null;
  private readonly topics = new Set<string>();
  private readonly messageListeners = new Set<Listener<ServerMessage>>();
  private readonly stateListeners = new Set<Listener<ConnectionState>>();
  private readonly attemptListeners = new Set<Listener<number>>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private stopped = true;
  /** Bumped by every attempt and by stop(): a ticket that arrives for an older attempt is dropped. */
  private generation = 0;
  state: ConnectionState = "closed";

  constructor(private readonly options: RealtimeOptions) {}

  onMessage(listener: Listener<ServerMessage>): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onState(listener: Listener<ConnectionState>): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Called with the number of the reconnect attempt about to be made (1, 2, …) each time one is
   * scheduled; `reconnectAttempts` goes back to 0 once a connection opens. */
  onReconnectAttempt(listener: Listener<number>): () => void {
    this.attemptListeners.add(listener);
    return () => this.attemptListeners.delete(listener);
  }

  /** Failed attempts since the last open connection. */
  get reconnectAttempts(): number {
    return this.attempt;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open("connecting");
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.stopHeartbeat();
    this.socket?.close(1000, "client stopped");
    this.socket = null;
    this.setState("closed");
  }

  /** Remembered and re-sent after every reconnect (subscriptions live with the connection). */
  subscribe(topics: string[]): void {
    const added = topics.filter((topic) => !this.topics.has(topic));
    added.forEach((topic) => this.topics.add(topic));
    if (added.length) this.sendAction({ action: "subscribe", topics: added });
  }

  unsubscribe(topics: string[]): void {
    const removed = topics.filter((topic) => this.topics.delete(topic));
    if (removed.length) this.sendAction({ action: "unsubscribe", topics: removed });
  }

  /** Without topics the server answers `pong` to this connection; with topics the pong travels the
   * publish path to every subscriber of them (an end-to-end check of delivery). */
  ping(topics: string[] = [], data: Record<string, unknown> = {}): boolean {
    return this.sendAction({ action: "ping", topics, data });
  }

  private sendAction(action: Record<string, unknown>): boolean {
    if (this.socket?.readyState !== 1 /* OPEN */) return false;
    this.socket.send(JSON.stringify(action));
    return true;
  }

  /** Get a ticket, then connect with it; a failed ticket request counts as a failed attempt. */
  private open(state: ConnectionState): void {
    const generation = ++this.generation;
    this.setState(state);
    this.options.ticket().then(
      (ticket) => {
        if (!this.stopped && generation === this.generation) this.connect(ticket);
      },
      () => {
        if (!this.stopped && generation === this.generation) this.scheduleReconnect();
      },
    );
  }

  private connect(ticket: string): void {
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const separator = this.options.url.includes("?") ? "&" : "?";
    const socket = new Impl(`${this.options.url}${separator}ticket=${encodeURIComponent(ticket)}`);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      if (this.topics.size) this.sendAction({ action: "subscribe", topics: [...this.topics] });
      this.stopHeartbeat();
      this.heartbeat = setInterval(() => this.ping(), this.options.heartbeatMs ?? 5 * 60_000);
      this.setState("connected");
    };
    socket.onmessage = (event: MessageEvent) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data)) as ServerMessage;
      } catch {
        return;
      }
      this.messageListeners.forEach((listener) => listener(message));
    };
    socket.onclose = () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      this.stopHeartbeat();
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    const backoff = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const delay = backoffDelay(this.attempt, backoff, this.options.random);
    this.attempt += 1;
    this.setState("reconnecting");
    this.attemptListeners.forEach((listener) => listener(this.attempt));
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.open("reconnecting");
    }, delay);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.stateListeners.forEach((listener) => listener(state));
  }
}
