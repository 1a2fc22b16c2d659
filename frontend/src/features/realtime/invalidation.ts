/** WebSocket events → TanStack Query: what each message means for the cached server state.
 *
 * - `job:<id>` `job.progress`: the job's cached copies (its detail and every listing holding it) are
 *   patched in place (no request: progress arrives up to twice a second), and the rate/ETA stored
 *   under `queryKeys.jobs.live(id)`.
 * - `job:<id>` `job.completed` / `job.failed` / `job.cancelled`: patched, then everything under the
 *   job (`queryKeys.jobs.detail(id)`: results, leaderboard, …) and every job listing refetch.
 * - `job:<id>` `job.log`: nothing cached changes (the job page appends the line to its log).
 * - `jobs` `job.created`: the tenant's job feed; every job listing refetches, so a job submitted
 *   elsewhere (the CLI, another browser) shows up at once.
 * - `notifications`: the notification queries refetch (list and unread count); a job's or a
 *   dataset's outcome is also announced there, so the job lists and datasets refetch too.
 * - `dataset:<id>`: the dataset's queries and the dataset listings refetch. */
import type { QueryClient } from "@tanstack/react-query";
import type { Job } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { ServerMessage } from "../../api/realtime";
import { applyJobMessage, isFinal, jobIdOf, liveOf } from "../jobs/jobState";

interface Page<T> {
  items: T[];
  next_token?: string | null;
}

export function applyRealtimeMessage(queryClient: QueryClient, message: ServerMessage): void {
  const topic = message.topic;
  if (!topic) return;
  const jobId = jobIdOf(topic);
  if (jobId) {
    // A log line changes nothing cached: the job page appends it to the log it shows.
    if (message.type === "job.log") return;
    const patch = (job: Job) => (job.job_id === jobId ? applyJobMessage(job, message) : job);
    queryClient.setQueryData<Job>(queryKeys.jobs.detail(jobId), (job) => (job ? patch(job) : job));
    queryClient.setQueriesData<Page<Job>>({ queryKey: queryKeys.jobs.lists }, (page) =>
      page && Array.isArray(page.items) ? { ...page, items: page.items.map(patch) } : page,
    );
    const live = liveOf(message);
    if (live) queryClient.setQueryData(queryKeys.jobs.live(jobId), live);
    const status = typeof message.payload.status === "string" ? message.payload.status : "";
    if (message.type !== "job.progress" && isFinal(status || "succeeded")) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs.detail(jobId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs.lists });
    }
    return;
  }
  if (topic === "jobs") {
    void queryClient.invalidateQueries({ queryKey: queryKeys.jobs.lists });
    return;
  }
  if (topic === "notifications") {
    void queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all });
    const kind = String(message.payload.kind ?? "");
    if (kind.startsWith("job.")) void queryClient.invalidateQueries({ queryKey: queryKeys.jobs.lists });
    if (kind.startsWith("dataset.")) void queryClient.invalidateQueries({ queryKey: queryKeys.datasets.all });
    return;
  }
  if (topic.startsWith("dataset:")) {
    void queryClient.invalidateQueries({ queryKey: queryKeys.datasets.detail(topic.slice("dataset:".length)) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.datasets.lists });
  }
}
