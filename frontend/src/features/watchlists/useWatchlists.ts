import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";

export type Watchlist = Schemas["WatchlistOut"];

export function useWatchlists(limit = 100) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.watchlists.list({ limit }),
    queryFn: () => unwrap(api.GET("/watchlists", { params: { query: { limit } } })),
  });
}

export function useWatchlist(watchlistId: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.watchlists.detail(watchlistId),
    queryFn: () => unwrap(api.GET("/watchlists/{watchlist_id}", { params: { path: { watchlist_id: watchlistId } } })),
  });
}

/** Every change answers the whole watchlist: cache it, and refresh the listings. */
function useSaved() {
  const queryClient = useQueryClient();
  return (saved: Watchlist) => {
    queryClient.setQueryData(queryKeys.watchlists.detail(saved.watchlist_id), saved);
    void queryClient.invalidateQueries({ queryKey: queryKeys.watchlists.lists });
  };
}

export function useCreateWatchlist() {
  const api = useApi();
  const saved = useSaved();
  return useMutation({
    mutationFn: (body: { name: string; symbols?: string[] }) => unwrap(api.POST("/watchlists", { body })),
    onSuccess: saved,
  });
}

/** Rename (PUT keeps the symbols it is given: the current ones). */
export function useRenameWatchlist(watchlist: Watchlist | undefined) {
  const api = useApi();
  const saved = useSaved();
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(
        api.PUT("/watchlists/{watchlist_id}", {
          params: { path: { watchlist_id: watchlist?.watchlist_id ?? "" } },
          body: { name, symbols: watchlist?.symbols ?? [] },
        }),
      ),
    onSuccess: saved,
  });
}

export function useAddSymbol(watchlistId: string) {
  const api = useApi();
  const saved = useSaved();
  return useMutation({
    mutationFn: (symbol: string) =>
      unwrap(api.POST("/watchlists/{watchlist_id}/symbols", { params: { path: { watchlist_id: watchlistId } }, body: { symbol } })),
    onSuccess: saved,
  });
}

export function useRemoveSymbol(watchlistId: string) {
  const api = useApi();
  const saved = useSaved();
  return useMutation({
    mutationFn: (symbol: string) =>
      unwrap(api.DELETE("/watchlists/{watchlist_id}/symbols/{symbol}", { params: { path: { watchlist_id: watchlistId, symbol } } })),
    onSuccess: saved,
  });
}

export function useDeleteWatchlist() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (watchlistId: string) => unwrap(api.DELETE("/watchlists/{watchlist_id}", { params: { path: { watchlist_id: watchlistId } } })),
    onSuccess: (_, watchlistId) => {
      queryClient.removeQueries({ queryKey: queryKeys.watchlists.detail(watchlistId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.watchlists.lists });
    },
  });
}
