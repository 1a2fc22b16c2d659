import { Group, Progress, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Job } from "../../api/client";
import { useFormat } from "../../i18n/format";
import { useJobLive } from "./useJobs";

/** Runs (combinations x symbols) done of the total, the rate and the time left, as the job's
 * `job.progress` messages say: under a job in a list, or on its page until it ends. */
export function JobProgressBar({ job, title }: { job: Job; title: string }) {
  const { t } = useTranslation("jobs");
  const format = useFormat();
  const live = useJobLive(job.job_id);
  const { combos_done: done, combos_total: total, percent } = job.progress;
  const parts = [
    t("progress.runs", { done: format.integer(done), total: format.integer(total) }),
    t("progress.percent", { percent: format.number(percent, 1) }),
  ];
  if (live.runsPerSecond !== null) parts.push(t("progress.rate", { rate: format.integer(live.runsPerSecond) }));
  if (live.etaSeconds !== null) parts.push(t("progress.eta", { eta: format.duration(live.etaSeconds) }));
  return (
    <Group gap="sm" mt={6} wrap="wrap">
      <Progress
        value={total ? (100 * done) / total : 0}
        w={{ base: "100%", xs: 240 }}
        size="md"
        aria-label={t("progress.label", { title })}
        animated={job.status === "running"}
      />
      <Text size="xs" c="dimmed" className="tw-num" data-testid="job-progress-text">
        {parts.join(" · ")}
      </Text>
    </Group>
  );
}
