import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";
import { type UploadProgress, type UploadRequest, uploadDataset } from "./upload";

export { useDatasets } from "../datasets/useDatasets";

/** Statuses after which a dataset no longer changes by itself. */
export const SETTLED = new Set(["ready", "failed"]);

/** One dataset; refreshed by its `dataset:<id>` topic (follow it with `useTopics`). */
export function useDataset(datasetId: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.datasets.detail(datasetId),
    queryFn: () => unwrap(api.GET("/datasets/{dataset_id}", { params: { path: { dataset_id: datasetId } } })),
    // The topic tells; polling slowly covers a missed message (a reconnect) while it imports.
    refetchInterval: (query) => (query.state.data && !SETTLED.has(query.state.data.status) && query.state.data.status !== "awaiting_upload" ? 5_000 : false),
  });
}

export function useDeleteDataset() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (datasetId: string) => unwrap(api.DELETE("/datasets/{dataset_id}", { params: { path: { dataset_id: datasetId } } })),
    onSuccess: (_, datasetId) => {
      queryClient.removeQueries({ queryKey: queryKeys.datasets.detail(datasetId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.datasets.lists });
      void queryClient.invalidateQueries({ queryKey: queryKeys.symbols.all });
    },
  });
}

/** Seed the synthetic sample universe (answers at once; the seed runs as a workflow). */
export function useSeedSample() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/datasets/sample")),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.datasets.all }),
  });
}

/** Symbols starting with `q` (the API searches by prefix, any case); nothing for an empty query. */
export function useSymbolSearch(q: string, limit = 20) {
  const api = useApi();
  const query = q.trim().toUpperCase();
  return useQuery({
    queryKey: queryKeys.symbols.search(query),
    queryFn: () => unwrap(api.GET("/symbols", { params: { query: { q: query, limit } } })),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export interface CandleParams {
  datasetId?: string;
  start?: string;
  end?: string;
  maxPoints: number;
}

export function useCandles(symbol: string, params: CandleParams, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.symbols.candles(symbol, { ...params }),
    queryFn: () =>
      unwrap(
        api.GET("/symbols/{symbol}/candles", {
          params: {
            path: { symbol },
            query: { dataset_id: params.datasetId || undefined, start: params.start, end: params.end, max_points: params.maxPoints },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The upload as a mutation, with its byte progress. */
export function useUpload() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const mutation = useMutation({
    mutationFn: (request: UploadRequest) => uploadDataset(api, request, setProgress),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.datasets.lists }),
    onSuccess: (dataset) => queryClient.setQueryData(queryKeys.datasets.detail(dataset.dataset_id), dataset),
  });
  return { ...mutation, progress };
}
