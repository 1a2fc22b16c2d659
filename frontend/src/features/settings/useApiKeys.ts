import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type Schemas, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";

/** The organisation's keys (admins only: `enabled` false for other roles, whom the API would refuse). */
export function useApiKeys(enabled = true) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.apiKeys.all, queryFn: () => unwrap(api.GET("/api-keys", { params: { query: { limit: 100 } } })), enabled });
}

/** Create a key (name, role, scopes, expiry): the answer carries the secret, shown once. */
export function useCreateApiKey() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ApiKeyIn"]) => unwrap(api.POST("/api-keys", { body })),
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
