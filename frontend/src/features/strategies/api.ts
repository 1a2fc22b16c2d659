/** The Strategies pages' server state: TanStack Query over the typed client. */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiProblem, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";
import type { StrategyDoc } from "./model";

export interface StrategySearch {
  q: string;
  match: "contains" | "prefix";
  tag: string;
}

const PAGE = 25;

export function useStrategyList(search: StrategySearch) {
  const api = useApi();
  const query = { limit: PAGE, q: search.q || undefined, match: search.match, tag: search.tag || undefined };
  return useInfiniteQuery({
    queryKey: queryKeys.strategies.list(query),
    queryFn: ({ pageParam }) => unwrap(api.GET("/strategies", { params: { query: { ...query, next_token: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_token ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useTemplates() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.strategies.templates, queryFn: () => unwrap(api.GET("/strategies/templates")), staleTime: Infinity });
}

export function useIndicatorKinds() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.strategies.indicators, queryFn: () => unwrap(api.GET("/strategies/indicators")), staleTime: Infinity });
}

export function useStrategy(strategyId: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.strategies.detail(strategyId),
    queryFn: () => unwrap(api.GET("/strategies/{strategy_id}", { params: { path: { strategy_id: strategyId } } })),
  });
}

export function useVersions(strategyId: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.strategies.versions(strategyId),
    queryFn: () => unwrap(api.GET("/strategies/{strategy_id}/versions", { params: { path: { strategy_id: strategyId }, query: { limit: 100 } } })),
  });
}

export function useVersionDocument(strategyId: string, version: number | null) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.strategies.version(strategyId, version ?? 0),
    queryFn: () => unwrap(api.GET("/strategies/{strategy_id}/versions/{version}", { params: { path: { strategy_id: strategyId, version: version! } } })),
    enabled: version !== null,
    staleTime: Infinity, // a version never changes
  });
}

/** Fetch one version's document (cached like useVersionDocument), e.g. to edit from it. */
export function useLoadVersion(strategyId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: number) =>
      queryClient.fetchQuery({
        queryKey: queryKeys.strategies.version(strategyId, version),
        queryFn: () => unwrap(api.GET("/strategies/{strategy_id}/versions/{version}", { params: { path: { strategy_id: strategyId, version } } })),
        staleTime: Infinity,
      }),
  });
}

export function useValidation(doc: unknown, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ["strategies", "validate", doc],
    queryFn: ({ signal }) => unwrap(api.POST("/strategies/validate", { body: doc as Record<string, never>, signal })),
    enabled,
    staleTime: Infinity,
    gcTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

export function useCreateStrategy() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { template: string; name?: string }) => unwrap(api.POST("/strategies", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.strategies.lists }),
  });
}

/** Import a file's text: its JSON parsed here (a SyntaxError if it is not JSON), checked by the API. */
export function useImportStrategy() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => unwrap(api.POST("/strategies/import", { body: JSON.parse(text) as StrategyDoc })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.strategies.lists }),
  });
}

export function useSaveStrategy(strategyId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { expected_version: number; document: StrategyDoc; tags?: string[]; note?: string }) =>
      unwrap(api.PUT("/strategies/{strategy_id}", { params: { path: { strategy_id: strategyId } }, body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.strategies.detail(strategyId), saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.strategies.versions(strategyId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.strategies.lists });
    },
  });
}

export function useDeleteStrategy() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (strategyId: string) => unwrap(api.DELETE("/strategies/{strategy_id}", { params: { path: { strategy_id: strategyId } } })),
    onSuccess: (_, strategyId) => {
      queryClient.removeQueries({ queryKey: queryKeys.strategies.detail(strategyId) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.strategies.lists });
    },
  });
}

/** Download a version's document as the file the API names (`sma-cross-v2.json`). */
export function useExportStrategy(strategyId: string) {
  const api = useApi();
  return useMutation({
    mutationFn: async (version: number | undefined) => {
      const { data, error, response } = await api.GET("/strategies/{strategy_id}/export", {
        params: { path: { strategy_id: strategyId }, query: { version } },
        parseAs: "blob",
      });
      if (!response.ok || !data) throw error instanceof ApiProblem ? error : new ApiProblem(response.status, null);
      const disposition = response.headers.get("Content-Disposition") ?? "";
      const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${strategyId}.json`;
      const url = URL.createObjectURL(data);
      const link = document.createElement("a");
      link.href = url;
      link.download = filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return filename;
    },
  });
}
