/** `/jobs/:jobId`: one job of any kind — status and progress live, its timeline, its progress over
 * time (a chart), its log following `job.log`, cancel and delete. Its results stay on its kind's page. */
import { Anchor, Badge, Button, Grid, Group, Paper, Progress, Stack, Text, Title } from "@mantine/core";
import { lazy, type ReactNode, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import type { Job } from "../../api/client";
import { ErrorAlert, PageHeader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { resultsPath, useDeleteJob, useJob, useJobLog, useProgressHistory, useTimeline } from "./api";
import { STATUS_COLORS } from "./JobRow";
import { LogLines } from "./LogLines";
import { StalledBadge } from "./StalledBadge";
import { isFinal, jobTopic } from "./jobState";
import { useCancelJob } from "./useJobs";
import { useTopics } from "../realtime/RealtimeProvider";
import { PauseResumeButton } from "./PauseResumeButton";
import { NeedsRole } from "../accounts/NeedsRole";

const ProgressChart = lazy(() => import("./ProgressChart"));

/** A job's controls: pause/resume (optimizations, pipeline runs), cancel, delete. */
export function JobControls({ job }: { job: Job }) {
  const { t } = useTranslation("jobs");
  const cancel = useCancelJob();
  const remove = useDeleteJob();
  const navigate = useNavigate();
  const message = useErrorMessage();
  const failure = cancel.error ?? remove.error;
  const error = failure ? message(failure) : null;
  const actions: ReactNode[] = [];
  actions.push(<PauseResumeButton key="pause-resume" job={job} size="sm" />);
  if (!isFinal(job.status) && job.kind !== "import") {
    actions.push(
      <NeedsRole key="cancel" role="researcher">
        <Button color="orange" variant="light" loading={cancel.isPending} onClick={() => cancel.mutate(job)}>
          {t("detail.cancel")}
        </Button>
      </NeedsRole>,
    );
  }
  actions.push(
    <NeedsRole key="delete" role="researcher">
      <Button
        color="red"
        variant="subtle"
        loading={remove.isPending}
        onClick={() => {
          if (window.confirm(t("detail.deleteConfirm"))) remove.mutate(job, { onSuccess: () => void navigate("/jobs") });
        }}
      >
        {t("detail.delete")}
      </Button>
    </NeedsRole>,
  );
  return (
    <Stack gap={4} align="flex-end">
      <Group gap="xs" data-testid="job-controls">
        {actions}
      </Group>
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

export function JobPage() {
  const { jobId = "" } = useParams();
  const { t } = useTranslation("jobs");
  const format = useFormat();
  const job = useJob(jobId);
  useTopics(job.data && !isFinal(job.data.status) ? [jobTopic(jobId)] : []);
  if (job.error) return <ErrorAlert error={job.error} />;
  const data = job.data;
  const title = data ? data.name || data.strategy_name || t("untitled", { kind: t(`kinds.${data.kind}`), id: data.job_id.slice(-6) }) : "…";
  return (
    <>
      <PageHeader
        title={title}
        description={data ? t("detail.description", { kind: t(`kinds.${data.kind}`), id: data.job_id }) : undefined}
        actions={data && <JobControls job={data} />}
      />
      {data && (
        <Stack gap="md">
          <Paper p="md" component="section" aria-label={t("detail.status")}>
            <Group gap="sm" wrap="wrap" mb="xs">
              <Badge color={STATUS_COLORS[data.status] ?? "gray"} variant="light" size="lg" data-testid="job-status">
                {t(`statuses.${data.status}`)}
              </Badge>
              <StalledBadge job={data} size="lg" />
              <Text size="sm" c="dimmed" className="tw-num">
                {t("detail.counts", { done: format.integer(data.progress.combos_done), total: format.integer(data.progress.combos_total) })}
              </Text>
              <Anchor component={Link} to={resultsPath(data)} size="sm">
                {t(data.kind === "import" ? "detail.openDataset" : "detail.openResults")}
              </Anchor>
            </Group>
            <Progress value={data.progress.percent} aria-label={t("progress.label", { title })} color={STATUS_COLORS[data.status] ?? "blue"} />
            {data.error && (
              <Text c="red" size="sm" mt="xs" role="alert" style={{ overflowWrap: "anywhere" }}>
                {data.error}
              </Text>
            )}
          </Paper>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <TimelinePanel job={data} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <ProgressPanel job={data} />
            </Grid.Col>
          </Grid>
          <LogPanel jobId={jobId} />
        </Stack>
      )}
    </>
  );
}

function TimelinePanel({ job }: { job: Job }) {
  const { t } = useTranslation("jobs");
  const format = useFormat();
  const timeline = useTimeline(job);
  return (
    <Paper p="md" component="section" aria-labelledby="timeline-title" h="100%">
      <Title order={2} fz="h4" id="timeline-title" mb="sm">
        {t("detail.timeline")}
      </Title>
      {timeline.error ? <ErrorAlert error={timeline.error} /> : null}
      <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: "none" }} data-testid="timeline">
        {(timeline.data?.entries ?? []).map((entry, index) => (
          <li key={`${entry.at}-${index}`} data-testid="timeline-entry">
            <Group gap="xs" wrap="wrap">
              <Badge size="sm" variant="light" color={STATUS_COLORS[entry.status] ?? "gray"}>
                {t(`statuses.${entry.status}`)}
              </Badge>
              <Text size="xs" c="dimmed" className="tw-num">
                {format.dateTime(entry.at)}
              </Text>
            </Group>
            <Text size="sm" style={{ overflowWrap: "anywhere" }}>
              {entry.cause}
            </Text>
          </li>
        ))}
      </Stack>
    </Paper>
  );
}

function ProgressPanel({ job }: { job: Job }) {
  const { t } = useTranslation("jobs");
  const history = useProgressHistory(job);
  const samples = history.data?.samples ?? [];
  return (
    <Paper p="md" component="section" aria-labelledby="progress-title" h="100%">
      <Title order={2} fz="h4" id="progress-title" mb="sm">
        {t("detail.progress")}
      </Title>
      {history.error ? <ErrorAlert error={history.error} /> : null}
      {history.isSuccess && samples.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("detail.noSamples")}
        </Text>
      ) : (
        <Suspense fallback={<Text size="sm">{t("detail.loadingChart")}</Text>}>{samples.length > 0 && <ProgressChart samples={samples} />}</Suspense>
      )}
    </Paper>
  );
}

function LogPanel({ jobId }: { jobId: string }) {
  const { t } = useTranslation("jobs");
  const log = useJobLog(jobId);
  return (
    <Paper p="md" component="section" aria-labelledby="log-title">
      <Title order={2} fz="h4" id="log-title" mb="sm">
        {t("detail.log")}
      </Title>
      {log.error ? <ErrorAlert error={log.error} /> : null}
      {log.isSuccess && log.lines.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("detail.noLog")}
        </Text>
      )}
      <LogLines lines={log.lines} label={t("detail.log")} />
    </Paper>
  );
}

export default JobPage;
