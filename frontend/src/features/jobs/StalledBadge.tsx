/** The `stalled` flag of a running job (`stalled_since`: no progress for its kind's threshold,
 * docs/jobs.md#stalled-jobs). Not a status: the job may still finish, so it sits beside the status. */
import { Badge, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Job } from "../../api/client";
import { useFormat } from "../../i18n/format";

export function StalledBadge({ job, size = "md" }: { job: Pick<Job, "stalled_since" | "status">; size?: "sm" | "md" | "lg" }) {
  const { t } = useTranslation("jobs");
  const format = useFormat();
  if (!job.stalled_since || job.status !== "running") return null;
  const since = t("stalled.since", { time: format.dateTime(job.stalled_since) });
  return (
    <Tooltip label={since}>
      <Badge variant="outline" color="orange" size={size} data-testid="job-stalled" aria-label={`${t("stalled.label")}: ${since}`}>
        {t("stalled.label")}
      </Badge>
    </Tooltip>
  );
}
