import { Badge, Box, Button, Group, Text, UnstyledButton } from "@mantine/core";
import { IconChevronDown, IconChevronRight } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Job } from "../../api/client";
import { useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { jobTitle, summaryText } from "./format";
import { isFinal } from "./jobState";
import { JobProgressBar } from "./JobProgressBar";
import { LeaderboardTable } from "./LeaderboardTable";
import { useCancelJob } from "./useJobs";
import { NeedsRole } from "../accounts/NeedsRole";

export const STATUS_COLORS: Record<string, string> = {
  queued: "gray",
  running: "blue",
  succeeded: "teal",
  failed: "red",
  cancelled: "orange",
  stopped: "orange",
  paused: "yellow",
  stalled: "orange", // timeline events (jobs.stall), not statuses
  progressing: "blue",
};

interface Props {
  job: Job;
  /** The job ran on synthetic sample data: say so wherever its results show. */
  synthetic: boolean;
  open: boolean;
  onToggle: () => void;
}

/** One job: what it ran, its status, then its live progress bar until a final status replaces it. */
export function JobRow({ job, synthetic, open, onToggle }: Props) {
  const { t } = useTranslation("jobs");
  const { t: common } = useTranslation();
  const format = useFormat();
  const errorMessage = useErrorMessage();
  const cancel = useCancelJob();
  const title = jobTitle(t, job);
  const final = isFinal(job.status);
  const hasLeaderboard = job.kind === "optimization" && job.status === "succeeded";
  const Chevron = open ? IconChevronDown : IconChevronRight;

  return (
    <Box component="li" py="sm" style={{ borderTop: "1px solid var(--mantine-color-default-border)", listStyle: "none" }} data-testid={`job-${job.job_id}`}>
      <Group gap="xs" wrap="wrap" justify="space-between">
        <Group gap="xs" wrap="wrap" miw={0} style={{ flex: 1 }}>
          {hasLeaderboard ? (
            <UnstyledButton onClick={onToggle} aria-expanded={open} aria-controls={`board-${job.job_id}`} fw={600} fz="sm" c="var(--mantine-color-anchor)">
              <Group gap={4} wrap="nowrap">
                <Chevron size={14} aria-hidden />
                <span translate={job.name ? "no" : undefined}>{title}</span>
              </Group>
            </UnstyledButton>
          ) : (
            <Text fw={600} fz="sm" style={{ wordBreak: "break-word" }} translate={job.name ? "no" : undefined}>
              {title}
            </Text>
          )}
          <Badge variant="light" color="gray" size="sm">
            {common(`jobKind.${job.kind}`)}
          </Badge>
          <Badge variant="light" color={STATUS_COLORS[job.status] ?? "gray"} size="sm" data-testid="job-status" data-status={job.status}>
            {common(`jobStatus.${job.status}`)}
          </Badge>
          {job.cached && (
            <Badge variant="outline" color="gray" size="sm">
              {t("cached")}
            </Badge>
          )}
          {synthetic && (
            <Badge variant="light" color="yellow" size="sm">
              {common("synthetic")}
            </Badge>
          )}
        </Group>
        {!final && (
          <NeedsRole role="researcher">
            <Button size="compact-xs" variant="default" onClick={() => cancel.mutate(job)} loading={cancel.isPending} aria-label={t("cancelJob", { title })}>
              {common("actions.cancel")}
            </Button>
          </NeedsRole>
        )}
      </Group>
      <Text size="xs" c="dimmed" mt={2}>
        {t("meta", {
          strategy: job.strategy_name ?? job.strategy_id ?? t("inlineStrategy"),
          symbols: t("symbolCount", { count: job.symbols.length, formatted: format.integer(job.symbols.length) }),
        })}{" "}
        · <time dateTime={job.created_at}>{format.dateTime(job.created_at)}</time>
      </Text>
      {!final && <JobProgressBar job={job} title={title} />}
      {job.status === "succeeded" && (
        <Text size="sm" mt={4} aria-live="polite" className="tw-num" style={{ whiteSpace: "normal" }}>
          {summaryText(t, format, job)}
        </Text>
      )}
      {job.status === "failed" && (
        <Text size="sm" c="var(--tw-error)" mt={4} aria-live="polite" translate="no">
          {job.error}
        </Text>
      )}
      {cancel.error && (
        <Text size="sm" c="var(--tw-error)" mt={4} role="alert">
          {errorMessage(cancel.error)}
        </Text>
      )}
      {open && hasLeaderboard && <LeaderboardTable job={job} synthetic={synthetic} />}
    </Box>
  );
}
