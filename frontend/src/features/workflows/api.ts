/** Workflows (`/workflows`): list, one, create, update (versioned), delete, run, runs with their steps.
 * Runs are jobs: their queries live under the job lists' key, so the realtime layer refetches them
 * when a followed run moves on. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type Schemas, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";

export type Workflow = Schemas["WorkflowOut"];
export type WorkflowRequest = Schemas["WorkflowRequest"];
export type WorkflowRun = Schemas["WorkflowRunOut"];
export type StepTarget = WorkflowRequest["steps"][number]["target"];

/** While a page shows an unfinished run, it is re-read this often too (a step's job ends elsewhere). */
export const RUNS_REFRESH_MS = 3_000;

export const workflowKeys = {
  all: ["workflows"] as const,
  list: ["workflows", "list"] as const,
  detail: (id: string) => ["workflows", "detail", id] as const,
  runs: (id: string) => [...queryKeys.jobs.lists, "workflow-runs", id] as const,
};

export function useWorkflows() {
  const api = useApi();
  return useQuery({
    queryKey: workflowKeys.list,
    queryFn: () => unwrap(api.GET("/workflows", { params: { query: { limit: 100 } } })),
  });
}

export function useWorkflow(workflowId: string) {
  const api = useApi();
  return useQuery({
    queryKey: workflowKeys.detail(workflowId),
    queryFn: () => unwrap(api.GET("/workflows/{workflow_id}", { params: { path: { workflow_id: workflowId } } })),
  });
}

export function useWorkflowRuns(workflowId: string) {
  const api = useApi();
  return useQuery({
    queryKey: workflowKeys.runs(workflowId),
    queryFn: () => unwrap(api.GET("/workflows/{workflow_id}/runs", { params: { path: { workflow_id: workflowId }, query: { limit: 20 } } })),
    refetchInterval: (query) => (query.state.data?.items.some((run) => run.status === "queued" || run.status === "running") ? RUNS_REFRESH_MS : false),
  });
}

export function useCreateWorkflow() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: WorkflowRequest) => unwrap(api.POST("/workflows", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: workflowKeys.all }),
  });
}

export function useUpdateWorkflow(workflowId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["WorkflowUpdate"]) => unwrap(api.PUT("/workflows/{workflow_id}", { params: { path: { workflow_id: workflowId } }, body })),
    onSuccess: (workflow) => {
      queryClient.setQueryData(workflowKeys.detail(workflowId), workflow);
      return queryClient.invalidateQueries({ queryKey: workflowKeys.list });
    },
  });
}

export function useDeleteWorkflow() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await unwrap(api.DELETE("/workflows/{workflow_id}", { params: { path: { workflow_id: id } } }));
      return id;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: workflowKeys.all }),
  });
}

export function useRunWorkflow(workflowId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/workflows/{workflow_id}/runs", { params: { path: { workflow_id: workflowId } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: workflowKeys.detail(workflowId) });
      return queryClient.invalidateQueries({ queryKey: workflowKeys.runs(workflowId) });
    },
  });
}
