import { Anchor, Badge, Box, Button, Group, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Job } from "../../api/client";
import { useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { summaryText } from "../jobs/format";
import { STATUS_COLORS } from "../jobs/JobRow";
import { isFinal } from "../jobs/jobState";
import { useCancelJob } from "../jobs/useJobs";
import { JobProgressBar } from "../jobs/JobProgressBar";
import { optimizationTitle, ranText } from "./jobText";
import { useDeleteOptimization } from "./useOptimizations";
import { NeedsRole } from "../accounts/NeedsRole";

/** One optimization in the list: its name (a link to its page), what it ran, its status, live
 * progress until it ends, its best result; cancel while it runs, delete (confirmed) any time. */
export function OptimizationRow({ job }: { job: Job }) {
  const { t } = useTranslation("optimizations");
  const { t: common } = useTranslation();
  const { t: jobsT } = useTranslation("jobs");
  const format = useFormat();
  const errorMessage = useErrorMessage();
  const cancel = useCancelJob();
  const remove = useDeleteOptimization();
  const [confirming, setConfirming] = useState(false);
  const title = optimizationTitle(t, job);
  const final = isFinal(job.status);
  return (
    <Box
      component="li"
      py="sm"
      style={{ borderTop: "1px solid var(--mantine-color-default-border)", listStyle: "none" }}
      data-testid={`optimization-${job.job_id}`}
    >
      <Group gap="xs" wrap="wrap" justify="space-between" align="flex-start">
        <Box miw={0} style={{ flex: 1 }}>
          <Anchor
            component={Link}
            to={`/optimizations/${job.job_id}`}
            fw={600}
            fz="sm"
            style={{ wordBreak: "break-word" }}
            translate={job.name ? "no" : undefined}
          >
            {title}
          </Anchor>
          <Text size="xs" c="dimmed" mt={2} style={{ wordBreak: "break-word" }}>
            <span translate="no">{ranText(t, job)}</span> · <time dateTime={job.created_at}>{format.dateTime(job.created_at)}</time>
          </Text>
        </Box>
        <Group gap={6} wrap="wrap">
          <Badge variant="light" color={STATUS_COLORS[job.status] ?? "gray"} size="sm" data-testid="job-status" data-status={job.status}>
            {common(`jobStatus.${job.status}`)}
          </Badge>
          {job.cached && (
            <Badge variant="outline" color="gray" size="sm">
              {jobsT("cached")}
            </Badge>
          )}
          {!final && (
            <NeedsRole role="researcher">
              <Button
                size="compact-xs"
                variant="default"
                onClick={() => cancel.mutate(job)}
                loading={cancel.isPending}
                aria-label={jobsT("cancelJob", { title })}
              >
                {common("actions.cancel")}
              </Button>
            </NeedsRole>
          )}
          {confirming ? (
            <Button
              size="compact-xs"
              color="red"
              onClick={() => remove.mutate(job)}
              loading={remove.isPending}
              aria-label={t("list.confirmDelete", { title })}
              autoFocus
              onBlur={() => setConfirming(false)}
            >
              {common("actions.confirm")}
            </Button>
          ) : (
            <NeedsRole role="researcher">
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => setConfirming(true)} aria-label={t("list.deleteJob", { title })}>
                {t("list.delete")}
              </Button>
            </NeedsRole>
          )}
        </Group>
      </Group>
      {!final && <JobProgressBar job={job} title={title} />}
      {job.status === "succeeded" && (
        <Text size="sm" mt={4} className="tw-num" style={{ whiteSpace: "normal" }}>
          {summaryText(jobsT, format, job)}
        </Text>
      )}
      {job.status === "failed" && (
        <Text size="sm" c="var(--tw-error)" mt={4} translate="no">
          {job.error}
        </Text>
      )}
      {(cancel.error || remove.error) && (
        <Text size="sm" c="var(--tw-error)" mt={4} role="alert">
          {errorMessage(cancel.error ?? remove.error)}
        </Text>
      )}
    </Box>
  );
}
