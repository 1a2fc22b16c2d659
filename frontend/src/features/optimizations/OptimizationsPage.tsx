import { Paper, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ErrorAlert, PageHeader } from "../../app/Page";
import { useDatasets } from "../datasets/useDatasets";
import { newestFirst } from "../jobs/jobState";
import { useFollowJobs, useJobList } from "../jobs/useJobs";
import { OptimizationForm } from "./OptimizationForm";
import { OptimizationRow } from "./OptimizationRow";

/** How many optimizations the list shows (each unfinished one followed live on `job:<id>`). */
export const LISTED = 50;

/** The space editor, then the tenant's optimizations, live. */
export function OptimizationsPage() {
  const { t } = useTranslation("optimizations");
  const datasets = useDatasets();
  const list = useJobList("optimization", LISTED);
  const jobs = newestFirst(list.data?.items ?? []);
  useFollowJobs(jobs);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Stack gap="md">
        <OptimizationForm datasets={datasets.data?.items ?? []} />
        <Paper p="md" component="section" aria-labelledby="opt-list-title">
          <Title order={2} fz="h4" id="opt-list-title" mb="sm">
            {t("list.title")}
          </Title>
          {list.error ? <ErrorAlert error={list.error} /> : null}
          {list.isSuccess && jobs.length === 0 && (
            <Text size="sm" c="dimmed">
              {t("list.empty")}
            </Text>
          )}
          <ul aria-label={t("list.label")} style={{ padding: 0, margin: 0 }}>
            {jobs.map((job) => (
              <OptimizationRow key={job.job_id} job={job} />
            ))}
          </ul>
        </Paper>
      </Stack>
    </>
  );
}

export default OptimizationsPage;
