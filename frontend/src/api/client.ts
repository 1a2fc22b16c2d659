/** The one typed client of the Tradewind HTTP API: openapi-fetch over the types generated from the
 * API's own OpenAPI document (`src/api/schema.d.ts`, `npm run gen:api`). Never write a response type
 * by hand: name it from `Schemas` below. */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type { paths } from "./schema";
export type Schemas = components["schemas"];
export type Api = Client<paths>;

export type Job = Schemas["JobOut"];
export type JobKind = Job["kind"];
export type JobStatus = Job["status"];
export type JobProgress = Schemas["Progress"];
export type Dataset = Schemas["DatasetOut"];
export type Notification = Schemas["NotificationOut"];
export type ApiKey = Schemas["ApiKeyOut"];
export type ApiKeyCreated = Schemas["ApiKeyCreatedOut"];
export type BuildInfo = Schemas["BuildInfo"];
export type Leaderboard = Schemas["Leaderboard"];
export type LeaderboardRow = Schemas["LeaderboardRow"];
export type OptimizationRequest = Schemas["OptimizationRequest"];
export type ProblemBody = Schemas["Problem"];
export type ProblemDetail = Schemas["ProblemDetail"];

/** What signs a request: an API key, or a function giving the headers of the moment (a person's
 * fresh ID token and the organisation picked: `Authorization` and `X-Org-Id`, docs/accounts.md). */
export type Credential = string | (() => Promise<Record<string, string>>);

export async function credentialHeaders(credential: Credential): Promise<Record<string, string>> {
  return typeof credential === "string" ? { Authorization: `Bearer ${credential}` } : credential();
}

export interface ApiOptions {
  /** `apiUrl` of /config.json: may carry a stage path (`https://x.execute-api…/prod/`) or be "" (same origin). */
  baseUrl: string;
  apiKey: Credential | null;
  fetch?: typeof fetch;
}

/** Sends the credential's headers (`Authorization: Bearer <key or ID token>`, never in a URL) on every request. */
export function authMiddleware(credential: Credential): Middleware {
  return {
    async onRequest({ request }) {
      for (const [name, value] of Object.entries(await credentialHeaders(credential))) request.headers.set(name, value);
      return request;
    },
  };
}

export function createApi({ baseUrl, apiKey, fetch: fetchImpl }: ApiOptions): Api {
  // openapi-fetch builds a Request, which needs an absolute URL outside a browser page.
  const origin = baseUrl || (typeof window !== "undefined" ? window.location.origin : "");
  const client = createClient<paths>({
    baseUrl: origin.replace(/\/+$/, ""),
    fetch: fetchImpl ?? ((request) => fetch(request)),
    headers: { Accept: "application/json" },
  });
  if (apiKey) client.use(authMiddleware(apiKey));
  return client;
}

/** An API error answer (application/problem+json), typed: `errors[].loc` locate each bad field. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | null;
  readonly errors: ProblemDetail[];
  readonly requestId: string | null;

  constructor(status: number, body: Partial<ProblemBody> | null) {
    const title = body?.title || `HTTP ${status}`;
    super(body?.detail || title);
    this.name = "ApiProblem";
    this.status = status;
    this.title = title;
    this.detail = body?.detail ?? null;
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
    this.requestId = body?.request_id ?? null;
  }

  /** The messages located at `field` of the request body (or below it): `at("name")`, `at("space", "fast")`. */
  at(...field: (string | number)[]): string[] {
    return this.errors.filter((e) => e.loc[0] === "body" && field.every((part, i) => e.loc[i + 1] === part)).map((e) => e.msg);
  }

  /** Every located problem keyed by its dotted body path (`space.fast.min`), for forms that map fields. */
  byField(): Record<string, string[]> {
    const found: Record<string, string[]> = {};
    for (const error of this.errors) {
      const [where, ...path] = error.loc;
      const key = where === "body" ? path.join(".") : error.loc.join(".");
      (found[key] ??= []).push(error.msg);
    }
    return found;
  }
}

/** The problem of a failed openapi-fetch call (`error` is the parsed body, or its text). */
export function toApiProblem(error: unknown, response: Response): ApiProblem {
  const body = error && typeof error === "object" ? (error as Partial<ProblemBody>) : null;
  return new ApiProblem(response.status, body ?? { title: typeof error === "string" && error ? error : undefined });
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Await an openapi-fetch call: its data, or a thrown `ApiProblem` (what TanStack Query expects). */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiProblem(error, response);
  return data as T;
}
