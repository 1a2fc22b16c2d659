/** Server state of the Backtests pages through TanStack Query and the typed client. Everything about
 * one backtest lives under `queryKeys.jobs.detail(id)`, so the realtime layer refreshes it when the
 * job's topic says it finished. */
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiProblem, type Job, type Schemas, toApiProblem, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";
import { LIST_REFRESH_MS, rememberJob } from "../jobs/useJobs";

export type BacktestRequest = Schemas["BacktestRequest"];
export type BacktestResults = Schemas["BacktestResults"];
export type Trade = Schemas["Trade"];
export type Curve = Schemas["Curve"];
export type Curves = Schemas["Curves"];
export type Comparison = Schemas["tradewind__api__routes__backtests__Comparison"];
export type StrategyDocument = Schemas["Strategy-Output"];
export type StrategyParameter = Schemas["Parameter"];

/** Keys of what only these pages read, under the prefixes the other features use for the same objects. */
export const backtestKeys = {
  list: (limit: number) => queryKeys.jobs.list("backtest", { limit, view: "backtests" }),
  results: (jobId: string) => [...queryKeys.jobs.detail(jobId), "results"] as const,
  trades: (jobId: string) => [...queryKeys.jobs.detail(jobId), "trades"] as const,
  curves: (jobId: string, maxPoints: number, symbols = true) => [...queryKeys.jobs.detail(jobId), "curves", maxPoints, symbols] as const,
  compare: (ids: string[]) => ["jobs", "compare", ids] as const,
  strategies: ["strategies", "list", { limit: 200 }] as const,
  templates: ["strategies", "templates"] as const,
  strategy: (strategyId: string, version: number | null) => ["strategies", "detail", strategyId, "versions", version ?? "latest"] as const,
  versions: (strategyId: string) => ["strategies", "detail", strategyId, "versions", "list"] as const,
  template: (name: string) => ["strategies", "templates", name] as const,
  watchlists: ["watchlists", "list", { limit: 100 }] as const,
  symbols: (q: string) => ["symbols", "search", q] as const,
  candles: (symbol: string, params: Record<string, unknown>) => ["symbols", "candles", symbol, params] as const,
};

/** The newest `limit` backtests; refreshed periodically (a job submitted from the CLI shows up) and
 * by the realtime layer, which patches progress and outcomes into `{items}` listings in place (so this
 * is one growing page, not an infinite query). */
export function useBacktestList(limit: number) {
  const api = useApi();
  return useQuery({
    queryKey: backtestKeys.list(limit),
    queryFn: () => unwrap(api.GET("/backtests", { params: { query: { limit } } })),
    placeholderData: keepPreviousData,
    refetchInterval: LIST_REFRESH_MS,
  });
}

export function useBacktest(jobId: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.jobs.detail(jobId),
    queryFn: () => unwrap(api.GET("/jobs/{job_id}", { params: { path: { job_id: jobId } } })),
  });
}

/** Metrics, the first trade and the portfolio's curves (with buy and hold), once the job succeeded.
 * Up to 10,000 points: a canvas chart draws them in milliseconds, and the API keeps the final equity
 * and the worst drawdown through any cut. */
export const PORTFOLIO_POINTS = 10_000;
export function useBacktestResults(jobId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: backtestKeys.results(jobId),
    queryFn: () =>
      unwrap(
        api.GET("/backtests/{job_id}/results", {
          params: { path: { job_id: jobId }, query: { max_points: PORTFOLIO_POINTS, trades_limit: 1, symbol_curves: false } },
        }),
      ),
    enabled,
    staleTime: Infinity,
  });
}

/** Every symbol's curves (asked when a symbol's tab opens: a run may hold many symbols). */
export const SYMBOL_POINTS = 2000;
export function useSymbolCurves(jobId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: backtestKeys.curves(jobId, SYMBOL_POINTS),
    queryFn: () => unwrap(api.GET("/backtests/{job_id}/curves", { params: { path: { job_id: jobId }, query: { max_points: SYMBOL_POINTS, symbols: true } } })),
    enabled,
    staleTime: Infinity,
  });
}

/** Every trade of a backtest (of one symbol), read page by page (at most `cap`), for a table that
 * sorts on any column. */
export const TRADES_CAP = 10_000;
export function useAllTrades(jobId: string, symbol: string | null, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: [...backtestKeys.trades(jobId), symbol],
    queryFn: async () => {
      const items: Trade[] = [];
      let token: string | null = null;
      let total: number;
      do {
        const page: Schemas["TradePage"] = await unwrap(
          api.GET("/backtests/{job_id}/trades", {
            params: { path: { job_id: jobId }, query: { limit: 200, ...(symbol ? { symbol } : {}), ...(token ? { next_token: token } : {}) } },
          }),
        );
        items.push(...page.items);
        total = page.total;
        token = page.next_token ?? null;
      } while (token && items.length < TRADES_CAP);
      return { items, total };
    },
    enabled,
    staleTime: Infinity,
  });
}

/** Candles the price chart asks for: the API downsamples a longer range (CandleChart draws at least
 * half a pixel per candle, so more would not fit the width). */
export const CANDLE_POINTS = 800;

export function useCandles(symbol: string, params: { dataset_id: string; start?: string | null; end?: string | null }, enabled: boolean) {
  const api = useApi();
  const query = {
    dataset_id: params.dataset_id,
    max_points: 3000,
    ...(params.start ? { start: params.start } : {}),
    ...(params.end ? { end: params.end } : {}),
  };
  return useQuery({
    queryKey: backtestKeys.candles(symbol, query),
    queryFn: () => unwrap(api.GET("/symbols/{symbol}/candles", { params: { path: { symbol }, query } })),
    enabled,
    staleTime: Infinity,
  });
}

export function useComparison(ids: string[]) {
  const api = useApi();
  return useQuery({
    queryKey: backtestKeys.compare(ids),
    queryFn: () => unwrap(api.GET("/backtests/compare", { params: { query: { ids: ids.join(",") } } })),
    enabled: ids.length >= 2,
  });
}

/** The portfolio curves of several backtests (for the overlay of the comparison). */
export function useCurvesOf(ids: string[], maxPoints = 2000) {
  const api = useApi();
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: backtestKeys.curves(id, maxPoints, false),
      queryFn: () => unwrap(api.GET("/backtests/{job_id}/curves", { params: { path: { job_id: id }, query: { max_points: maxPoints } } })),
      staleTime: Infinity,
    })),
  });
}

/** A refused submission: the problem, and for a 429 (a job cap) the seconds the server says to wait. */
export class SubmitProblem extends ApiProblem {
  readonly retryAfter: number | null;
  constructor(problem: ApiProblem, retryAfter: number | null) {
    super(problem.status, { title: problem.title, detail: problem.detail ?? undefined, errors: problem.errors, request_id: problem.requestId ?? undefined });
    this.retryAfter = retryAfter;
  }
}

export function retryAfterSeconds(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

export function useSubmitBacktest() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: BacktestRequest): Promise<Job> => {
      const { data, error, response } = await api.POST("/backtests", { body });
      if (!response.ok) throw new SubmitProblem(toApiProblem(error, response), retryAfterSeconds(response.headers.get("Retry-After")));
      return data as Job;
    },
    onSuccess: (job) => rememberJob(queryClient, job),
  });
}

/** A backtest is a job: deleted like any other. */
export { useDeleteJob as useDeleteBacktest } from "../jobs/api";

// --- what the run form chooses from --------------------------------------------------------------

export function useStrategies() {
  const api = useApi();
  return useQuery({ queryKey: backtestKeys.strategies, queryFn: () => unwrap(api.GET("/strategies", { params: { query: { limit: 200 } } })) });
}

export function useTemplates() {
  const api = useApi();
  return useQuery({ queryKey: backtestKeys.templates, queryFn: () => unwrap(api.GET("/strategies/templates")), staleTime: Infinity });
}

export function useStrategyVersions(strategyId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: backtestKeys.versions(strategyId ?? ""),
    queryFn: () => unwrap(api.GET("/strategies/{strategy_id}/versions", { params: { path: { strategy_id: strategyId! }, query: { limit: 200 } } })),
    enabled: !!strategyId,
  });
}

/** The document the form reads parameters from: a stored strategy's version, or a template's. */
export function useStrategyDocument(choice: { strategyId: string | null; version: number | null; template: string | null }) {
  const api = useApi();
  return useQuery({
    queryKey: choice.template ? backtestKeys.template(choice.template) : backtestKeys.strategy(choice.strategyId ?? "", choice.version),
    queryFn: async (): Promise<{ document: StrategyDocument; name: string }> => {
      if (choice.template) {
        const found = await unwrap(api.GET("/strategies/templates/{name}", { params: { path: { name: choice.template } } }));
        return { document: found.document, name: found.name };
      }
      const found = await unwrap(
        api.GET("/strategies/{strategy_id}", {
          params: { path: { strategy_id: choice.strategyId! }, query: choice.version ? { version: choice.version } : {} },
        }),
      );
      return { document: found.document, name: found.name };
    },
    enabled: !!choice.template || !!choice.strategyId,
    staleTime: Infinity,
  });
}

export function useWatchlists() {
  const api = useApi();
  return useQuery({ queryKey: backtestKeys.watchlists, queryFn: () => unwrap(api.GET("/watchlists", { params: { query: { limit: 100 } } })) });
}

export function useSymbolSearch(q: string, datasetId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: backtestKeys.symbols(q),
    queryFn: () => unwrap(api.GET("/symbols", { params: { query: { q, limit: 20 } } })),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    select: (page) => (datasetId ? page.items.filter((item) => item.datasets.some((d) => d.dataset_id === datasetId)) : page.items),
  });
}
