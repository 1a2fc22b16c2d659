/** Schedules (`/schedules`): list, one with its next fire times, create, pause/resume, delete, fires. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type Schemas, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";

export type Schedule = Schemas["ScheduleOut"];
export type ScheduleRequest = Schemas["ScheduleRequest"];
export type Fire = Schemas["Fire"];

/** While a page shows fires, they are re-read this often (a fire happens on the server's clock). */
export const FIRES_REFRESH_MS = 3_000;

export const scheduleKeys = {
  all: ["schedules"] as const,
  list: ["schedules", "list"] as const,
  detail: (id: string) => ["schedules", "detail", id] as const,
  preview: (expression: string, timezone: string) => ["schedules", "preview", expression, timezone] as const,
};

export function useSchedules() {
  const api = useApi();
  return useQuery({
    queryKey: scheduleKeys.list,
    queryFn: () => unwrap(api.GET("/schedules", { params: { query: { limit: 100 } } })),
    refetchInterval: 15_000,
  });
}

export function useSchedule(scheduleId: string) {
  const api = useApi();
  return useQuery({
    queryKey: scheduleKeys.detail(scheduleId),
    queryFn: () => unwrap(api.GET("/schedules/{schedule_id}", { params: { path: { schedule_id: scheduleId } } })),
    refetchInterval: FIRES_REFRESH_MS,
  });
}

export function useFires(scheduleId: string) {
  const api = useApi();
  return useQuery({
    queryKey: [...scheduleKeys.detail(scheduleId), "fires"],
    queryFn: () => unwrap(api.GET("/schedules/{schedule_id}/fires", { params: { path: { schedule_id: scheduleId }, query: { limit: 50 } } })),
    refetchInterval: FIRES_REFRESH_MS,
  });
}

/** The next fire times of an expression in a zone (the server computes them: what AWS will do). */
export function usePreview(expression: string, timezone: string) {
  const api = useApi();
  return useQuery({
    queryKey: scheduleKeys.preview(expression, timezone),
    queryFn: () => unwrap(api.POST("/schedules/preview", { body: { expression, timezone } })),
    enabled: expression.length >= 6 && timezone.length > 0,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useCreateSchedule() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ScheduleRequest) => unwrap(api.POST("/schedules", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scheduleKeys.all }),
  });
}

export function useSetEnabled() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      unwrap(api.POST(enabled ? "/schedules/{schedule_id}/resume" : "/schedules/{schedule_id}/pause", { params: { path: { schedule_id: id } } })),
    onSuccess: (schedule) => {
      queryClient.setQueryData(scheduleKeys.detail(schedule.schedule_id), schedule);
      return queryClient.invalidateQueries({ queryKey: scheduleKeys.list });
    },
  });
}

export function useDeleteSchedule() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await unwrap(api.DELETE("/schedules/{schedule_id}", { params: { path: { schedule_id: id } } }));
      return id;
    },
    onSuccess: (id) => {
      queryClient.removeQueries({ queryKey: scheduleKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs.lists });
      return queryClient.invalidateQueries({ queryKey: scheduleKeys.list });
    },
  });
}
