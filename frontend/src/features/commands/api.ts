/** The command catalogue and its runs (jobs of kind `command`: read, followed and cancelled through `/jobs`). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type Schemas, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";

export type Command = Schemas["CommandOut"];

export const commandKeys = {
  catalogue: ["commands", "catalogue"] as const,
};

export function useCatalogue() {
  const api = useApi();
  return useQuery({
    queryKey: commandKeys.catalogue,
    queryFn: () => unwrap(api.GET("/commands")),
    staleTime: 5 * 60_000,
  });
}

export function useCommandRuns(limit = 10) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.jobs.list("command", { limit }),
    queryFn: () => unwrap(api.GET("/commands/runs", { params: { query: { limit } } })),
    refetchInterval: 10_000,
  });
}

export function useRunCommand() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, params }: { name: string; params: Record<string, unknown> }) =>
      unwrap(api.POST("/commands/{name}/runs", { params: { path: { name } }, body: { params } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.jobs.lists }),
  });
}
