/** How job numbers read on the page: one place, so the list, the bar and the leaderboard agree. */
import type { TFunction } from "i18next";
import type { Job } from "../../api/client";
import type { Formatters } from "../../i18n/format";
import type { BacktestSummary, OptimizationSummary } from "./jobState";

/** The metrics a sweep's screening pass computes (docs/jobs.md), in leaderboard order. */
export const SCREENING_METRICS = ["return_pct", "sharpe", "max_drawdown_pct", "trades"] as const;

/** A metric's translated label (`jobs:metrics.<name>`), or its name when it has none. */
export function metricLabel(t: TFunction, metric: string): string {
  return t(`jobs:metrics.${metric}`, { defaultValue: metric });
}

export function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(", ");
}

export function jobTitle(t: TFunction, job: Job): string {
  return job.name || t("jobs:untitled", { kind: t(`common:jobKind.${job.kind}`), id: job.job_id });
}

/** The one-line result of a succeeded job, from the summary its kind has. */
export function summaryText(t: TFunction, format: Formatters, job: Job): string {
  if (!job.summary) return "";
  if (job.kind === "optimization") {
    const s = job.summary as unknown as OptimizationSummary;
    const combinations = t("jobs:summary.combinations", { count: s.combinations, formatted: format.integer(s.combinations) });
    if (!s.best_params) return `${t("jobs:summary.noneQualified")} · ${combinations}`;
    return `${t("jobs:summary.best", { objective: format.number(s.best_objective), params: formatParams(s.best_params) })} · ${combinations}`;
  }
  if (job.kind !== "backtest") return ""; // imports and pipeline runs: their pages tell
  const s = job.summary as unknown as BacktestSummary;
  return t("jobs:summary.backtest", {
    ret: format.number(s.return_pct),
    sharpe: format.number(s.sharpe),
    drawdown: format.number(s.max_drawdown_pct),
    trades: format.integer(s.trades),
  });
}

/** Seconds between start and finish, or null while not both known. */
export function jobDurationSeconds(job: Pick<Job, "started_at" | "finished_at">): number | null {
  if (!job.started_at || !job.finished_at) return null;
  const seconds = (Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}
