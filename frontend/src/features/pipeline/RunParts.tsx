/** Pieces shared by the runs table and the run page: status, live progress, stop. */
import { Badge, Button, Group, Progress, Stack, Text } from "@mantine/core";
import { IconPlayerStop } from "@tabler/icons-react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";
import { STATUS_COLORS } from "../jobs/JobRow";
import { isFinal } from "../jobs/jobState";
import { useJobLive } from "../jobs/useJobs";
import { type PipelineRun, useStopRun } from "./api";
import { NeedsRole } from "../accounts/NeedsRole";

export function runTitle(t: TFunction, run: PipelineRun): string {
  return run.name || t("run.untitled", { strategy: run.strategy_name ?? "", mode: t(`mode.${run.mode}`) });
}

export function StatusBadge({ run, size = "sm" }: { run: PipelineRun; size?: "sm" | "md" }) {
  const { t: common } = useTranslation();
  const { t } = useTranslation("pipeline");
  return (
    <Group gap={4} wrap="nowrap">
      <Badge variant="light" color={STATUS_COLORS[run.status] ?? "gray"} size={size} data-testid="run-status" data-status={run.status}>
        {common(`jobStatus.${run.status}`)}
      </Badge>
      {run.stop_requested && !isFinal(run.status) && (
        <Badge variant="outline" color="orange" size={size}>
          {t("run.stopping")}
        </Badge>
      )}
    </Group>
  );
}

/** Batches and symbols done, signals found, rate and ETA (rate and ETA from the last `job.progress`). */
export function RunProgress({ run, title, wide = false }: { run: PipelineRun; title: string; wide?: boolean }) {
  const { t } = useTranslation("pipeline");
  const format = useFormat();
  const live = useJobLive(run.job_id);
  const final = isFinal(run.status);
  const percent = run.progress.percent;
  const parts = [
    t("progress.batches", { done: format.integer(run.batches_done), total: format.integer(run.batches_total) }),
    t("progress.symbols", { done: format.integer(run.symbols_done), total: format.integer(run.symbols_total) }),
    t("progress.signals", { count: run.signals_found, formatted: format.integer(run.signals_found) }),
  ];
  if (!final && live.runsPerSecond !== null) parts.push(t("progress.rate", { rate: format.number(live.runsPerSecond, 1) }));
  if (!final && live.etaSeconds !== null) parts.push(t("progress.eta", { eta: format.duration(live.etaSeconds) }));
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Progress
          value={percent}
          w={wide ? { base: "100%", xs: 320 } : 90}
          size={wide ? "lg" : "sm"}
          aria-label={t("progress.of", { title })}
          animated={run.status === "running"}
        />
        <Text size={wide ? "sm" : "xs"} className="tw-num" data-testid="run-percent" aria-live={wide ? "polite" : undefined}>
          {format.percent(percent / 100, 0)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed" className="tw-num" data-testid="run-counts" style={{ textAlign: "start" }}>
        {parts.join(" · ")}
      </Text>
    </Stack>
  );
}

export function StopButton({ run, title }: { run: PipelineRun; title: string }) {
  const { t } = useTranslation("pipeline");
  const stop = useStopRun();
  if (isFinal(run.status)) return null;
  return (
    <NeedsRole role="researcher">
      <Button
        size="xs"
        variant="default"
        color="red"
        leftSection={<IconPlayerStop size={14} aria-hidden />}
        onClick={() => stop.mutate(run.job_id)}
        loading={stop.isPending}
        disabled={run.stop_requested}
        aria-label={t("run.stopOne", { title })}
      >
        {t("run.stop")}
      </Button>
    </NeedsRole>
  );
}
