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
}

async function problemOf(response: Response): Promise<Problem | null> {
  try {
    return (await response.json()) as Problem;
  } catch {
    return null;
  }
}
