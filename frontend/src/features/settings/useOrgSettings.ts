import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../app/ApiContext";

export type OrgSettings = Schemas["OrgSettingsOut"];
export type OrgSettingsBody = Schemas["OrgSettingsBody"];

const KEY = ["org-settings"] as const;

export function useOrgSettings() {
  const api = useApi();
  return useQuery({ queryKey: KEY, queryFn: () => unwrap(api.GET("/settings")) });
}

/** Save over the version that was read (`If-Match`): a 412 means someone saved meanwhile. */
export function useSaveOrgSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, version }: { body: OrgSettingsBody; version: number }) =>
      unwrap(api.PUT("/settings", { body, params: { header: { "if-match": `"${version}"` } } })),
    onSuccess: (saved) => queryClient.setQueryData(KEY, saved),
    onError: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}
