import { useQuery } from "@tanstack/react-query";
import { type Api, type Schemas, toApiProblem, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";

export type Check = Schemas["CheckResult"];

export interface Readiness {
  ready: boolean;
  checks: Record<string, Check>;
}

/** GET /health/ready. A 503 is an answer too: its problem names each failing dependency. */
export async function readiness(api: Api): Promise<Readiness> {
  const { data, error, response } = await api.GET("/health/ready");
  if (data) return { ready: true, checks: data.checks };
  const problem = toApiProblem(error, response);
  if (response.status !== 503) throw problem;
  const checks: Record<string, Check> = {};
  for (const failure of problem.errors) checks[String(failure.loc[failure.loc.length - 1])] = { ok: false, detail: failure.msg };
  return { ready: false, checks };
}

/** Readiness, polled every `intervalMs`; an unreachable API is the query's error. */
export function useReadiness(intervalMs = 5000) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.health.ready, queryFn: () => readiness(api), refetchInterval: intervalMs, retry: false });
}

export function useBuildInfo() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.health.info, queryFn: () => unwrap(api.GET("/health/info")), staleTime: Infinity });
}

export type SystemStatus = Schemas["SystemStatus"];
export type ComponentStatus = Schemas["ComponentStatus"];

/** GET /health/system: every resource, probed for real (needs the key), polled every `intervalMs`. */
export function useSystemStatus(intervalMs = 5000) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.health.system, queryFn: () => unwrap(api.GET("/health/system")), refetchInterval: intervalMs, retry: false });
}
