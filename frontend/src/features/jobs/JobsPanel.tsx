import { useCallback, useEffect, useState } from "react";
import type { ApiClient, Dataset, Job } from "../../api/client";
import type { RealtimeClient } from "../../api/realtime";
import { JobRow } from "./JobRow";
import { newestFirst, tracked, type TrackedJob } from "./jobState";
import { QuickOptimizationForm } from "./QuickOptimizationForm";
import { useJobFeed } from "./useJobFeed";

/** How many of each kind the panel lists (and may follow live: a connection holds 50 topics). */
const RECENT = 10;

/** Recent optimizations and backtests, each queued or running one followed live on `job:<id>`,
 * and a form that starts an optimization and puts it at the top. */
export function JobsPanel({ client, realtime, datasets }: { client: ApiClient; realtime: RealtimeClient | null; datasets: Dataset[] }) {
  const [jobs, setJobs] = useState<TrackedJob[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    Promise.all([client.jobs("optimization", RECENT), client.jobs("backtest", RECENT)])
      .then(([optimizations, backtests]) => {
        if (cancelled) return;
        const listed = [...optimizations.items, ...backtests.items].map(tracked);
        setJobs((current) => newestFirst([...current, ...listed]));
        setLoaded(true);
      })
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [client]);

  useJobFeed(realtime, jobs, setJobs);

  const replace = useCallback((job: TrackedJob) => setJobs((current) => current.map((j) => (j.job_id === job.job_id ? job : j))), []);
  const submitted = useCallback((job: Job) => setJobs((current) => newestFirst([tracked(job), ...current])), []);
  const synthetic = new Set(datasets.filter((d) => d.synthetic).map((d) => d.dataset_id));

  return (
    <section className="panel" aria-labelledby="jobs-title">
      <h2 id="jobs-title">Jobs</h2>
      <QuickOptimizationForm client={client} datasets={datasets} onSubmitted={submitted} />
      {error && <p className="error">{error}</p>}
      {loaded && jobs.length === 0 && <p className="muted">No backtests or optimizations yet.</p>}
      <ul className="jobs" aria-label="Recent jobs">
        {jobs.map((job) => (
          <JobRow
            key={job.job_id}
            job={job}
            client={client}
            synthetic={synthetic.has(job.dataset_id)}
            open={open === job.job_id}
            onToggle={() => setOpen((current) => (current === job.job_id ? null : job.job_id))}
            onChange={replace}
          />
        ))}
      </ul>
    </section>
  );
}
