import { Paper, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Dataset } from "../../api/client";
import { ErrorAlert } from "../../app/Page";
import { JobRow } from "./JobRow";
import { useRecentJobs } from "./api";
import { QuickOptimizationForm } from "./QuickOptimizationForm";
import { useFollowJobs } from "./useJobs";

/** How many of each kind the panel lists (and may follow live: a connection holds 50 topics). */
export const RECENT = 10;

/** The newest jobs of every kind (`GET /jobs`), each queued or running one followed live on `job:<id>`. */
export function RecentJobs({ datasets, show = RECENT }: { datasets: Dataset[]; show?: number }) {
  const { t } = useTranslation("jobs");
  const recent = useRecentJobs(show);
  const [open, setOpen] = useState<string | null>(null);
  const jobs = recent.data?.items ?? [];
  useFollowJobs(jobs);
  const synthetic = new Set(datasets.filter((d) => d.synthetic).map((d) => d.dataset_id));
  const loaded = recent.isSuccess;
  const error = recent.error;
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
export function JobsPanel({ datasets, show = RECENT }: { datasets: Dataset[]; show?: number }) {
  const { t } = useTranslation("jobs");
  return (
    <Paper p="md" component="section" aria-labelledby="jobs-title">
      <Title order={2} fz="h4" id="jobs-title" mb="sm">
        {t("title")}
      </Title>
      <QuickOptimizationForm datasets={datasets} />
      <RecentJobs datasets={datasets} show={show} />
    </Paper>
  );
}
