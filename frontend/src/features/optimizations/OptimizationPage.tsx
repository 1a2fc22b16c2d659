import { Anchor, Badge, Button, Group, Paper, Stack, Tabs, Text } from "@mantine/core";
import { IconArrowLeft, IconDownload } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ApiProblem } from "../../api/client";
import { ErrorAlert, PageHeader, PageLoader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { STATUS_COLORS } from "../jobs/JobRow";
import { isFinal, jobTopic, type OptimizationSummary } from "../jobs/jobState";
import { PauseResumeButton } from "../jobs/PauseResumeButton";
import { useCancelJob } from "../jobs/useJobs";
import { useTopics } from "../realtime/RealtimeProvider";
import { HeatmapPanel } from "./HeatmapPanel";
import { JobProgressBar } from "../jobs/JobProgressBar";
import { optimizationTitle, ranText } from "./jobText";
import { ResultsTable } from "./ResultsTable";
import { useCellCombination, useDeleteOptimization, useDownload, useDrillDown, useOptimization, useTableBlock, useWalkForward } from "./useOptimizations";
import { WalkForwardTable } from "./WalkForwardTable";
import { useCan } from "../accounts/account";
import { NeedsRole } from "../accounts/NeedsRole";

/** One optimization: live progress while it runs, then its full leaderboard, a heatmap and the
 * walk-forward table; a row or a cell backtests that combination and opens the backtest's page. */
export function OptimizationPage() {
  const { jobId = "" } = useParams();
  const { t } = useTranslation("optimizations");
  const { t: common } = useTranslation();
  const { t: accounts } = useTranslation("accounts");
  const format = useFormat();
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const job = useOptimization(jobId);
  const data = job.data;
  useTopics(data && !isFinal(data.status) ? [jobTopic(jobId)] : []);
  const cancel = useCancelJob();
  const remove = useDeleteOptimization();
  const download = useDownload(jobId);
  const drill = useDrillDown(jobId);
  const cell = useCellCombination(jobId);
  const canRun = useCan("researcher");
  const [confirming, setConfirming] = useState(false);
  const succeeded = data?.status === "succeeded";
  const head = useTableBlock(jobId, 0, undefined, undefined, succeeded);
  const walk = useWalkForward(jobId, succeeded);
  const [tab, setTab] = useState<string | null>("leaderboard");

  if (job.error)
    return (
      <>
        <PageHeader title={t("title")} />
        <ErrorAlert error={job.error} title={job.error instanceof ApiProblem && job.error.status === 404 ? t("detail.notFound") : undefined} />
      </>
    );
  if (!data) return <PageLoader />;
  const title = optimizationTitle(t, data);
  const summary = data.summary as OptimizationSummary | null;
  const objective = { metric: head.data?.sort ?? "sharpe", direction: (head.data?.order === "asc" ? "minimize" : "maximize") as "maximize" | "minimize" };
  // A viewer may read the results but not start a backtest from them (POST …/backtest is researcher).
  const backtest = (combination: number) => canRun && drill.mutate(combination, { onSuccess: (created) => navigate(`/backtests/${created.job_id}`) });
  const pickCell = (args: { where: string[]; metric: string; order: "asc" | "desc" }) =>
    canRun && cell.mutate(args, { onSuccess: (combination) => (combination === null ? undefined : backtest(combination)) });

  return (
    <>
      <Anchor component={Link} to="/optimizations" size="sm" mb="xs" style={{ display: "inline-flex", alignItems: "center", gap: 4 }}>
        <IconArrowLeft size={14} aria-hidden />
        {t("detail.back")}
      </Anchor>
      <PageHeader
        title={title}
        description={<span translate="no">{ranText(t, data, 20)}</span>}
        actions={
          <Group gap="xs" wrap="wrap">
            <Badge variant="light" color={STATUS_COLORS[data.status] ?? "gray"} data-testid="job-status" data-status={data.status}>
              {common(`jobStatus.${data.status}`)}
            </Badge>
            <PauseResumeButton job={data} />
            {!isFinal(data.status) && (
              <NeedsRole role="researcher">
                <Button size="xs" variant="default" onClick={() => cancel.mutate(data)} loading={cancel.isPending}>
                  {t("detail.cancel")}
                </Button>
              </NeedsRole>
            )}
            {succeeded &&
              (["csv", "parquet"] as const).map((f) => (
                <Button
                  key={f}
                  size="xs"
                  variant="default"
                  leftSection={<IconDownload size={14} aria-hidden />}
                  onClick={() => download.mutate(f)}
                  loading={download.isPending && download.variables === f}
                  aria-label={t("detail.downloadLabel", { format: t(f === "csv" ? "detail.downloadCsv" : "detail.downloadParquet") })}
                >
                  {t(f === "csv" ? "detail.downloadCsv" : "detail.downloadParquet")}
                </Button>
              ))}
            {confirming ? (
              <Button
                size="xs"
                color="red"
                autoFocus
                onBlur={() => setConfirming(false)}
                loading={remove.isPending}
                onClick={() => remove.mutate(data, { onSuccess: () => navigate("/optimizations") })}
              >
                {t("detail.confirmDelete")}
              </Button>
            ) : (
              <NeedsRole role="researcher">
                <Button size="xs" variant="subtle" color="red" onClick={() => setConfirming(true)}>
                  {t("detail.delete")}
                </Button>
              </NeedsRole>
            )}
          </Group>
        }
      />
      <Stack gap="md">
        {[cancel.error, remove.error, download.error, drill.error, cell.error].filter(Boolean).map((error, i) => (
          <Text key={i} size="sm" c="var(--tw-error)" role="alert">
            {errorMessage(error)}
          </Text>
        ))}
        {!isFinal(data.status) && (
          <Paper p="md">
            <JobProgressBar job={data} title={title} />
          </Paper>
        )}
        {data.status === "failed" && <ErrorAlert error={new Error(data.error ?? "")} title={t("detail.failed")} />}
        {summary && succeeded && (
          <Text size="sm" className="tw-num" data-testid="best">
            {summary.best_params
              ? t("detail.best", {
                  metric: t(`metrics.${objective.metric}`, { defaultValue: objective.metric }),
                  value: format.significant(summary.best_objective),
                  params: Object.entries(summary.best_params)
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join(", "),
                })
              : t("detail.noneQualified")}
          </Text>
        )}
        {(drill.isPending || cell.isPending) && (
          <Text size="sm" c="dimmed" aria-live="polite">
            {t("detail.drilling")}
          </Text>
        )}
        {succeeded && !canRun && (
          <Text size="sm" c="dimmed" data-needs-role="researcher">
            {t("detail.pickNeedsRole", { role: accounts("roles.researcher") })}
          </Text>
        )}
        {succeeded && (
          <Paper p="md">
            <Tabs value={tab} onChange={setTab} keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="leaderboard">{t("table.title")}</Tabs.Tab>
                <Tabs.Tab value="heatmap">{t("heatmap.title")}</Tabs.Tab>
                {walk.data && <Tabs.Tab value="walk-forward">{t("walkForward.title")}</Tabs.Tab>}
              </Tabs.List>
              <Tabs.Panel value="leaderboard" pt="sm">
                <ResultsTable jobId={jobId} title={title} objective={objective} onPick={backtest} />
              </Tabs.Panel>
              <Tabs.Panel value="heatmap" pt="sm">
                {head.data && <HeatmapPanel jobId={jobId} params={head.data.params} metrics={head.data.metrics} objective={objective} onPick={pickCell} />}
              </Tabs.Panel>
              {walk.data && (
                <Tabs.Panel value="walk-forward" pt="sm">
                  <WalkForwardTable report={walk.data} metric={objective.metric} />
                </Tabs.Panel>
              )}
            </Tabs>
          </Paper>
        )}
        {data.status !== "succeeded" && isFinal(data.status) && data.status !== "failed" && (
          <Text size="sm" c="dimmed">
            {t("detail.notFinished")}
          </Text>
        )}
      </Stack>
    </>
  );
}

export default OptimizationPage;
