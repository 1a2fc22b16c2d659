import { Group, Progress, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Job } from "../../api/client";
import { useFormat } from "../../i18n/format";
import { useJobLive } from "../jobs/useJobs";

/** Runs done of the total, runs/s and the time left, as the job's `job.progress` messages say. */
export function JobProgressBar({ job, title }: { job: Job; title: string }) {
  const { t } = useTranslation("optimizations");
  const format = useFormat();
  const live = useJobLive(job.job_id);
  const { combos_done: done, combos_total: total, percent } = job.progress;
  const parts = [t("detail.runs", { done: format.integer(done), total: format.integer(total) }), t("detail.percent", { percent: format.number(percent, 1) })];
  if (live.runsPerSecond !== null) parts.push(t("detail.rate", { rate: format.integer(live.runsPerSecond) }));
  if (live.etaSeconds !== null) parts.push(t("detail.eta", { eta: format.duration(live.etaSeconds) }));
  return (
    <Group gap="sm" mt={6} wrap="wrap">
      <Progress
        value={total ? (100 * done) / total : 0}
        w={{ base: "100%", xs: 240 }}
        size="md"
        aria-label={t("detail.progressLabel", { title })}
        animated={job.status === "running"}
      />
      <Text size="xs" c="dimmed" className="tw-num" data-testid="job-progress-text">
        {parts.join(" · ")}
      </Text>
    </Group>
  );
}
