import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";

export function useApiKeys() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.apiKeys.all, queryFn: () => unwrap(api.GET("/api-keys", { params: { query: { limit: 100 } } })) });
}

/** Create a key: the answer carries the secret, shown once. */
export function useCreateApiKey() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => unwrap(api.POST("/api-keys", { body: { name } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys.all }),
  });
}

export function useRevokeApiKey() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) => unwrap(api.DELETE("/api-keys/{key_id}", { params: { path: { key_id: keyId } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys.all }),
  });
}
