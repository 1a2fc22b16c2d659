import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { ApiProblem, type Schemas, unwrap } from "../../api/client";
import { useApi } from "../../app/ApiContext";

export type AuditEntry = Schemas["AuditEntry"];

/** The list's and the export's filters, as the query string takes them (empty: not filtered). */
export interface AuditFilters {
  actor?: string;
  action?: string;
  target?: string;
  since?: string;
  until?: string;
}

export const PAGE_SIZE = 50;

function query(filters: AuditFilters) {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value)) as AuditFilters;
}

/** One page of the trail, newest first; `token` is the previous page's `next_token`. */
export function useAuditPage(filters: AuditFilters, token: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: ["audit", "list", filters, token],
    queryFn: () => unwrap(api.GET("/audit", { params: { query: { ...query(filters), limit: PAGE_SIZE, next_token: token ?? undefined } } })),
    placeholderData: keepPreviousData,
  });
}

/** Download the filtered trail as `audit.csv`. */
export function useExportAudit() {
  const api = useApi();
  return useMutation({
    mutationFn: async (filters: AuditFilters) => {
      const { data, error, response } = await api.GET("/audit/export", { params: { query: query(filters) }, parseAs: "blob" });
      if (!response.ok || !data) throw error instanceof ApiProblem ? error : new ApiProblem(response.status, null);
      const url = URL.createObjectURL(data as unknown as Blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = "audit.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
}

/** The server's messages about one query parameter (problem+json `loc: ["query", name]`). */
export function queryErrors(error: unknown, name: string): string[] {
  if (!(error instanceof ApiProblem)) return [];
  return error.errors.filter((e) => e.loc[0] === "query" && e.loc[1] === name).map((e) => e.msg);
}
