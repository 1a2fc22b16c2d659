/** How job numbers read on the page: one place, so the list, the bar and the leaderboard agree. */
import type { BacktestSummary, Job, OptimizationSummary, ParamValue } from "../../api/client";

/** The metrics a sweep's screening pass computes (docs/jobs.md), in leaderboard order. */
export const SCREENING_METRICS = ["return_pct", "sharpe", "max_drawdown_pct", "trades"] as const;

const METRIC_LABELS: Record<string, string> = {
  return_pct: "return %",
  sharpe: "Sharpe",
  max_drawdown_pct: "max drawdown %",
  trades: "trades",
};

export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? metric;
}

/** Non-finite results arrive as `null`: shown as a dash, never as 0. */
export function formatNumber(value: number | string | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatParams(params: Record<string, ParamValue>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${value}`)
    .join(", ");
}

export function jobTitle(job: Job): string {
  return job.name || `${job.kind} ${job.job_id}`;
}

/** The one-line result of a succeeded job, from the summary its kind has. */
export function summaryText(job: Job): string {
  if (!job.summary) return "";
  if (job.kind === "optimization") {
    const s = job.summary as OptimizationSummary;
    const best = s.best_params ? `best objective ${formatNumber(s.best_objective)} at ${formatParams(s.best_params)}` : "no combination qualified";
    return `${best} · ${formatNumber(s.combinations, 0)} combinations`;
  }
  const s = job.summary as BacktestSummary;
  return `return ${formatNumber(s.return_pct)} % · Sharpe ${formatNumber(s.sharpe)} · max drawdown ${formatNumber(s.max_drawdown_pct)} % · ${formatNumber(s.trades, 0)} trades`;
}
