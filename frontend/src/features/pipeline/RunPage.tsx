import { Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { IconArrowLeft, IconBolt, IconChartHistogram } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import type { Job } from "../../api/client";
import { ErrorAlert, PageHeader, PageLoader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { isFinal } from "../jobs/jobState";
import { useFollowJobs } from "../jobs/useJobs";
import { type PipelineRun, usePipelineMessages, useRun } from "./api";
import { RunProgress, runTitle, StatusBadge, StopButton } from "./RunParts";
import { PauseResumeButton } from "../jobs/PauseResumeButton";

interface Summary {
  signals?: number;
  symbols?: number;
  symbols_with_signals?: number;
  by_action?: Record<string, number>;
  first_signal?: string | null;
  last_signal?: string | null;
  breadth_bars?: number;
  aggregation_seconds?: number;
}

export function breadthLink(run: PipelineRun): string {
  return `/pipeline/breadth?universe=${encodeURIComponent(run.universe)}&timeframe=${encodeURIComponent(run.timeframe)}`;
}

/** One run: its progress live, then its summary and links to its signals and the universe's breadth. */
export default function RunPage() {
  const { runId = "" } = useParams();
  const { t } = useTranslation("pipeline");
  const format = useFormat();
  const run = useRun(runId);
  usePipelineMessages();
  useFollowJobs(run.data ? [run.data as unknown as Job] : []);
  if (run.error) return <ErrorAlert error={run.error} />;
  if (!run.data) return <PageLoader />;
  const data = run.data;
  const title = runTitle(t, data);
  const summary = (data.summary ?? null) as Summary | null;
  const hasResults = data.status === "succeeded" || data.status === "stopped";
  return (
    <>
      <PageHeader
        title={title}
        description={
          <Anchor component={Link} to="/pipeline" size="sm">
            <IconArrowLeft size={12} aria-hidden /> {t("run.back")}
          </Anchor>
        }
        actions={
          <Group gap="xs">
            <PauseResumeButton job={data} />
            <StopButton run={data} title={title} />
          </Group>
        }
      />
      <Group gap="xs" mb="md" wrap="wrap">
        <StatusBadge run={data} size="md" />
        <Text size="sm" c="dimmed" style={{ overflowWrap: "anywhere" }}>
          {t("run.meta", { mode: t(`mode.${data.mode}`), timeframe: t(`timeframe.${data.timeframe}`), universe: data.universe })}
        </Text>
      </Group>
      <Paper p="md" mb="md" component="section" aria-labelledby="progress-title">
        <Title order={2} fz="h4" id="progress-title" mb="sm">
          {t("progress.title")}
        </Title>
        <RunProgress run={data} title={title} wide />
      </Paper>
      {data.status === "failed" && (
        <Alert color="red" variant="light" title={t("run.failed")} role="alert" mb="md">
          <Text size="sm" translate="no">
            {data.error}
          </Text>
        </Alert>
      )}
      {data.status === "stopped" && (
        <Alert color="orange" variant="light" mb="md">
          {t("run.stopped", { skipped: format.integer(data.batches_skipped) })}
        </Alert>
      )}
      {hasResults && (
        <Paper p="md" component="section" aria-labelledby="summary-title" data-testid="run-summary">
          <Group justify="space-between" mb="sm" wrap="wrap">
            <Title order={2} fz="h4" id="summary-title">
              {t("summary.title")}
            </Title>
            <Group gap="xs">
              <Button component={Link} to={`/pipeline/runs/${data.job_id}/signals`} size="xs" leftSection={<IconBolt size={14} aria-hidden />}>
                {t("summary.signalsLink")}
              </Button>
              <Button component={Link} to={breadthLink(data)} size="xs" variant="default" leftSection={<IconChartHistogram size={14} aria-hidden />}>
                {t("summary.breadthLink")}
              </Button>
            </Group>
          </Group>
          {summary && (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <Table verticalSpacing={3} fz="sm" aria-labelledby="summary-title">
                <Table.Tbody>
                  {(
                    [
                      ["signals", format.integer(summary.signals)],
                      ["symbols", format.integer(summary.symbols)],
                      ["symbolsWithSignals", format.integer(summary.symbols_with_signals)],
                      ["firstSignal", format.date(summary.first_signal)],
                      ["lastSignal", format.date(summary.last_signal)],
                      ["breadthBars", format.integer(summary.breadth_bars)],
                      ["duration", format.duration(durationOf(data))],
                    ] as const
                  ).map(([id, value]) => (
                    <Table.Tr key={id}>
                      <Table.Th scope="row" fw={400} c="dimmed">
                        {t(`summary.${id}`)}
                      </Table.Th>
                      <Table.Td className="tw-num" fw={500} data-testid={`summary-${id}`}>
                        {value}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <div>
                <Text size="sm" fw={600} mb={4}>
                  {t("summary.byAction")}
                </Text>
                <Group gap={6}>
                  {Object.entries(summary.by_action ?? {}).map(([action, count]) => (
                    <Badge key={action} variant="light" color="gray" className="tw-num">
                      {t(`action.${action}`, { defaultValue: action })} · {format.integer(count)}
                    </Badge>
                  ))}
                </Group>
              </div>
            </SimpleGrid>
          )}
        </Paper>
      )}
      {!isFinal(data.status) && (
        <Text size="xs" c="dimmed">
          {t("run.live")}
        </Text>
      )}
    </>
  );
}

function durationOf(run: PipelineRun): number | null {
  if (!run.started_at || !run.finished_at) return null;
  return (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000;
}
