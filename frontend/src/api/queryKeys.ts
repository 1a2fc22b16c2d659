/** Every TanStack Query key of the app, so the WebSocket invalidations (features/realtime/invalidation.ts)
 * reach every query about an object. Put a new query about a job under `jobs.detail(id)`, about a
 * dataset under `datasets.detail(id)`: it then refreshes when that object's topic says it changed. */
import type { JobKind } from "./client";

export const queryKeys = {
  jobs: {
    all: ["jobs"] as const,
    /** Every listing of jobs (any kind, any page size). */
    lists: ["jobs", "list"] as const,
    list: (kind: JobKind, params: Record<string, unknown> = {}) => ["jobs", "list", kind, params] as const,
    /** A job and everything under it (results, leaderboard, trades, …). */
    detail: (jobId: string) => ["jobs", "detail", jobId] as const,
    /** The rate and ETA that only `job.progress` messages carry (written by the realtime layer). */
    live: (jobId: string) => ["jobs", "live", jobId] as const,
  },
  datasets: {
    all: ["datasets"] as const,
    lists: ["datasets", "list"] as const,
    list: (params: Record<string, unknown> = {}) => ["datasets", "list", params] as const,
    detail: (datasetId: string) => ["datasets", "detail", datasetId] as const,
  },
  symbols: {
    all: ["symbols"] as const,
    search: (q: string) => ["symbols", "search", q] as const,
    candles: (symbol: string, params: Record<string, unknown> = {}) => ["symbols", "candles", symbol, params] as const,
  },
  watchlists: {
    all: ["watchlists"] as const,
    lists: ["watchlists", "list"] as const,
    list: (params: Record<string, unknown> = {}) => ["watchlists", "list", params] as const,
    detail: (watchlistId: string) => ["watchlists", "detail", watchlistId] as const,
  },
  notifications: {
    all: ["notifications"] as const,
    list: (params: Record<string, unknown> = {}) => ["notifications", "list", params] as const,
    unreadCount: ["notifications", "unread-count"] as const,
  },
  apiKeys: {
    all: ["api-keys"] as const,
  },
  health: {
    ready: ["health", "ready"] as const,
    info: ["health", "info"] as const,
    system: ["health", "system"] as const,
  },
  /** What the pipeline pages read besides runs (runs are jobs: `jobs.list("pipeline", …)`, `jobs.detail(id)`). */
  pipeline: {
    all: ["pipeline"] as const,
    stats: ["pipeline", "stats"] as const,
    signals: (params: Record<string, unknown> = {}) => ["pipeline", "signals", params] as const,
    breadthHistories: ["pipeline", "breadth"] as const,
    breadth: (universe: string, params: Record<string, unknown> = {}) => ["pipeline", "breadth", universe, params] as const,
  },
  strategies: {
    all: ["strategies"] as const,
    template: (name: string) => ["strategies", "templates", name] as const,
    templates: ["strategies", "templates"] as const,
    indicators: ["strategies", "indicators"] as const,
    lists: ["strategies", "list"] as const,
    list: (params: Record<string, unknown> = {}) => ["strategies", "list", params] as const,
    /** A strategy and everything under it (its versions, each version's document). */
    detail: (strategyId: string) => ["strategies", "detail", strategyId] as const,
    versions: (strategyId: string) => ["strategies", "detail", strategyId, "versions"] as const,
    version: (strategyId: string, version: number) => ["strategies", "detail", strategyId, "versions", version] as const,
  },
};
