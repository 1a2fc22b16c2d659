import { useState } from "react";
import type { ApiClient } from "../../api/client";
import { formatDuration, formatNumber, jobTitle, summaryText } from "./format";
import { isFinal, tracked, type TrackedJob } from "./jobState";
import { LeaderboardTable } from "./LeaderboardTable";

interface Props {
  job: TrackedJob;
  client: ApiClient;
  /** The job ran on synthetic sample data: say so wherever its results show. */
  synthetic: boolean;
  open: boolean;
  onToggle: () => void;
  onChange: (job: TrackedJob) => void;
}

/** One job: what it is, then its live progress bar until a final status replaces it. */
export function JobRow({ job, client, synthetic, open, onToggle, onChange }: Props) {
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const title = jobTitle(job);
  const final = isFinal(job.status);
  const hasLeaderboard = job.kind === "optimization" && job.status === "succeeded";

  const cancel = () => {
    setCancelling(true);
    setCancelError(null);
    client
      .cancelJob(job.kind, job.job_id)
      .then((view) => onChange(tracked(view)))
      .catch((e: Error) => setCancelError(e.message))
      .finally(() => setCancelling(false));
  };

  return (
    <li className="job" data-testid={`job-${job.job_id}`}>
      <div className="job-head">
        {hasLeaderboard ? (
          <button type="button" className="link job-title" aria-expanded={open} aria-controls={`board-${job.job_id}`} onClick={onToggle}>
            {title}
          </button>
        ) : (
          <strong className="job-title">{title}</strong>
        )}
        <span className={`status status-${job.status}`} data-testid="job-status">
          {job.status}
        </span>
        {job.cached && <span className="badge">cached result</span>}
        {synthetic && <span className="badge">synthetic sample data</span>}
        {!final && (
          <button type="button" onClick={cancel} disabled={cancelling} aria-label={`Cancel ${title}`}>
            Cancel
          </button>
        )}
      </div>
      <p className="muted job-meta">
        {job.kind} · {job.strategy_name ?? job.strategy_id ?? "inline strategy"} · {job.symbols.length} symbols · created{" "}
        <time dateTime={job.created_at}>{new Date(job.created_at).toLocaleString()}</time>
      </p>
      {!final && <JobProgressBar job={job} title={title} />}
      {job.status === "succeeded" && <p aria-live="polite">{summaryText(job)}</p>}
      {job.status === "failed" && (
        <p className="error" aria-live="polite">
          {job.error}
        </p>
      )}
      {cancelError && <p className="error">{cancelError}</p>}
      {open && hasLeaderboard && <LeaderboardTable client={client} job={job} synthetic={synthetic} />}
    </li>
  );
}

/** Runs (combinations x symbols) done of the total, the rate and the time left, as `job.progress` says. */
function JobProgressBar({ job, title }: { job: TrackedJob; title: string }) {
  const { combos_done: done, combos_total: total, percent } = job.progress;
  const parts = [`${formatNumber(done, 0)} / ${formatNumber(total, 0)} runs`, `${formatNumber(percent, 1)} %`];
  if (job.runsPerSecond !== null) parts.push(`${formatNumber(job.runsPerSecond, 0)} runs/s`);
  if (job.etaSeconds !== null) parts.push(`ETA ${formatDuration(job.etaSeconds)}`);
  return (
    <div className="job-progress">
      <progress max={Math.max(total, 1)} value={done} aria-label={`Progress of ${title}`} />
      <span data-testid="job-progress-text">{parts.join(" · ")}</span>
    </div>
  );
}
