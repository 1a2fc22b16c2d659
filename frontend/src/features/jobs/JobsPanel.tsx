import { Paper, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Dataset } from "../../api/client";
import { ErrorAlert } from "../../app/Page";
import { JobRow } from "./JobRow";
import { newestFirst } from "./jobState";
import { QuickOptimizationForm } from "./QuickOptimizationForm";
import { useFollowJobs, useJobList } from "./useJobs";

/** How many of each kind the panel lists (and may follow live: a connection holds 50 topics). */
export const RECENT = 10;

/** Recent optimizations and backtests, each queued or running one followed live on `job:<id>`. */
export function RecentJobs({ datasets, limit = RECENT, show = limit }: { datasets: Dataset[]; limit?: number; show?: number }) {
  const { t } = useTranslation("jobs");
  const optimizations = useJobList("optimization", limit);
  const backtests = useJobList("backtest", limit);
  const [open, setOpen] = useState<string | null>(null);
  const jobs = newestFirst([...(optimizations.data?.items ?? []), ...(backtests.data?.items ?? [])]).slice(0, show);
  useFollowJobs(jobs);
  const synthetic = new Set(datasets.filter((d) => d.synthetic).map((d) => d.dataset_id));
  const loaded = optimizations.isSuccess && backtests.isSuccess;
  const error = optimizations.error ?? backtests.error;
  return (
    <>
      {error && <ErrorAlert error={error} />}
      {loaded && jobs.length === 0 && (
        <Text c="dimmed" size="sm">
          {t("empty")}
        </Text>
      )}
      <ul aria-label={t("recent")} style={{ padding: 0, margin: 0 }}>
        {jobs.map((job) => (
          <JobRow
            key={job.job_id}
            job={job}
            synthetic={synthetic.has(job.dataset_id)}
            open={open === job.job_id}
            onToggle={() => setOpen((current) => (current === job.job_id ? null : job.job_id))}
          />
        ))}
      </ul>
    </>
  );
}

/** The quick optimization form and the recent jobs, on one card. */
export function JobsPanel({ datasets, limit = RECENT, show = limit }: { datasets: Dataset[]; limit?: number; show?: number }) {
  const { t } = useTranslation("jobs");
  return (
    <Paper p="md" component="section" aria-labelledby="jobs-title">
      <Title order={2} fz="h4" id="jobs-title" mb="sm">
        {t("title")}
      </Title>
      <QuickOptimizationForm datasets={datasets} />
      <RecentJobs datasets={datasets} limit={limit} show={show} />
    </Paper>
  );
}
