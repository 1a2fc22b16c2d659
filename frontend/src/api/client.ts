/** The one typed client of the Tradewind HTTP API. */

export interface Check {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, Check>;
}

export interface BuildInfo {
  version: string;
  commit: string;
  stage: string;
  region: string;
}

export type DatasetStatus = "awaiting_upload" | "queued" | "importing" | "ready" | "failed";

export interface Dataset {
  dataset_id: string;
  name: string;
  status: DatasetStatus;
  source: "upload" | "sample" | "yfinance";
  synthetic: boolean;
  symbols_count: number;
  rows: number;
  start: string | null;
  end: string | null;
}

export interface Page<T> {
  items: T[];
  next_token: string | null;
}

export type JobKind = "backtest" | "optimization";
export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** `combos_*` count runs: combinations x symbols (x walk-forward windows); one per symbol for a backtest. */
export interface JobProgress {
  shards_done: number;
  shards_total: number;
  combos_done: number;
  combos_total: number;
  percent: number;
}

export type ParamValue = number | string | boolean;

export interface OptimizationSummary {
  best_params: Record<string, ParamValue> | null;
  best_objective: number | null;
  combinations: number;
}

export interface BacktestSummary {
  return_pct: number | null;
  sharpe: number | null;
  max_drawdown_pct: number | null;
  trades: number;
}

/** A backtest or optimization as the API shows it (`JobOut`). */
export interface Job {
  job_id: string;
  kind: JobKind;
  status: JobStatus;
  name: string | null;
  strategy_id: string | null;
  strategy_version: number | null;
  strategy_name: string | null;
  dataset_id: string;
  symbols: string[];
  progress: JobProgress;
  /** Set once succeeded: an `OptimizationSummary` or a `BacktestSummary` by `kind`. */
  summary: OptimizationSummary | BacktestSummary | null;
  error: string | null;
  cached: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface Objective {
  metric: string;
  direction: "maximize" | "minimize";
}

export interface LeaderboardRow {
  rank: number;
  combination: number;
  params: Record<string, ParamValue>;
  /** Each metric's mean over the symbols; `null` where it is not finite. */
  metrics: Record<string, number | string | null>;
}

export interface Leaderboard {
  objective: Objective;
  rows: LeaderboardRow[];
}

/** A strategy-language document (docs/strategy.schema.json); the dashboard passes it through. */
export type StrategyDocument = Record<string, unknown>;

export interface StrategyTemplate {
  template: string;
  name: string;
  description: string | null;
  parameters: string[];
  document: StrategyDocument;
}

/** One parameter's values in a sweep: one value, a list, or an inclusive range. */
export type SpaceValue = number | number[] | { min: number; max: number; step?: number };

/** `POST /optimizations` (the fields the dashboard sends; the API takes more, see docs/api.md). */
export type OptimizationRequest = ({ strategy_id: string } | { strategy: StrategyDocument }) & {
  dataset_id: string;
  symbols: string[];
  space: Record<string, SpaceValue>;
  objective?: Objective;
  metrics?: "screening" | "full";
  top_n?: number;
  name?: string;
};

const COLLECTION: Record<JobKind, string> = { backtest: "/backtests", optimization: "/optimizations" };

/** The API's error body (application/problem+json); `errors` locate each bad field. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string | null;
  request_id?: string | null;
  errors?: { loc: (string | number)[]; msg: string; type: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = "ApiError";
  }
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string | null,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** `apiUrl` may carry a stage path (`https://x.execute-api…/prod/`) or be "" (same origin). */
  url(path: string): string {
    if (!this.baseUrl) return path;
    return this.baseUrl.replace(/\/+$/, "") + path;
  }

  private async send(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("Accept", "application/json");
    if (this.apiKey) headers.set("Authorization", `Bearer ${this.apiKey}`);
    return this.fetchImpl(this.url(path), { ...init, headers });
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.send(path, init);
    if (!response.ok) throw new ApiError(response.status, await problemOf(response));
    return (await response.json()) as T;
  }

  /** GET /health/ready. A 503 is an answer too: its problem names each failing dependency. */
  async readiness(): Promise<Readiness> {
    const response = await this.send("/health/ready");
    if (response.ok) {
      const body = (await response.json()) as { checks: Record<string, Check> };
      return { ready: true, checks: body.checks };
    }
    const problem = await problemOf(response);
    if (response.status !== 503 || !problem) throw new ApiError(response.status, problem);
    const checks: Record<string, Check> = {};
    for (const error of problem.errors ?? []) {
      checks[String(error.loc[error.loc.length - 1])] = { ok: false, detail: error.msg };
    }
    return { ready: false, checks };
  }

  info(): Promise<BuildInfo> {
    return this.json<BuildInfo>("/health/info");
  }

  datasets(limit = 50): Promise<Page<Dataset>> {
    return this.json<Page<Dataset>>(`/datasets?limit=${limit}`);
  }

  /** GET /optimizations or /backtests: the newest jobs of that kind first. */
  jobs(kind: JobKind, limit = 10): Promise<Page<Job>> {
    return this.json<Page<Job>>(`${COLLECTION[kind]}?limit=${limit}`);
  }

  /** 202 a queued job to follow on `job:<id>`, or 200 one already succeeded (`cached`). */
  submitOptimization(request: OptimizationRequest): Promise<Job> {
    return this.json<Job>("/optimizations", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request),
    });
  }

  /** 409 when the job is already final. */
  cancelJob(kind: JobKind, jobId: string): Promise<Job> {
    return this.json<Job>(`${COLLECTION[kind]}/${encodeURIComponent(jobId)}/cancel`, { method: "POST" });
  }

  leaderboard(jobId: string, limit?: number): Promise<Leaderboard> {
    const query = limit === undefined ? "" : `?limit=${limit}`;
    return this.json<Leaderboard>(`/optimizations/${encodeURIComponent(jobId)}/leaderboard${query}`);
  }

  strategyTemplate(name: string): Promise<StrategyTemplate> {
    return this.json<StrategyTemplate>(`/strategies/templates/${encodeURIComponent(name)}`);
  }
}

async function problemOf(response: Response): Promise<Problem | null> {
  try {
    return (await response.json()) as Problem;
  } catch {
    return null;
  }
}
