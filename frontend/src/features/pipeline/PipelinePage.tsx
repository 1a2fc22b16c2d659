import { Anchor, Button, Group, Paper, Select, SimpleGrid, Table, Text, TextInput, Title } from "@mantine/core";
import { IconChartHistogram, IconBolt, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ErrorAlert, PageHeader, PageLoader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useDatasets } from "../datasets/useDatasets";
import { useStrategies } from "../backtests/api";
import { useFollowJobs } from "../jobs/useJobs";
import type { Job } from "../../api/client";
import { MODES, type Mode, type PipelineRun, type RunFilters, type RunStatus, usePipelineMessages, useRuns, useStats } from "./api";
import { RunProgress, runTitle, StatusBadge, StopButton } from "./RunParts";
import { StartForm } from "./StartForm";
import { visuallyHidden } from "../backtests/RowActions";

const STATUSES: RunStatus[] = ["running", "succeeded", "failed", "stopped"];

/** Stats, the start form and every run with its live status, progress and stop. */
export default function PipelinePage() {
  const { t } = useTranslation("pipeline");
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const showForm = params.get("new") === "1";
  const datasets = useDatasets();
  usePipelineMessages();
  return (
    <>
      <PageHeader
        title={t("pipeline.title")}
        description={t("pipeline.description")}
        actions={
          <Group gap="xs">
            <Button component={Link} to="/pipeline/signals" variant="default" leftSection={<IconBolt size={16} aria-hidden />}>
              {t("nav.signals")}
            </Button>
            <Button component={Link} to="/pipeline/breadth" variant="default" leftSection={<IconChartHistogram size={16} aria-hidden />}>
              {t("nav.breadth")}
            </Button>
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setParams(showForm ? {} : { new: "1" })} aria-expanded={showForm}>
              {t("pipeline.newRun")}
            </Button>
          </Group>
        }
      />
      <StatsCards />
      {showForm && (
        <Paper p="md" mb="md" component="section" aria-labelledby="start-form-title">
          <Title order={2} fz="h4" id="start-form-title" mb="sm">
            {t("form.title")}
          </Title>
          <StartForm datasets={datasets.data?.items ?? []} onStarted={(run) => navigate(`/pipeline/runs/${run.job_id}`)} />
        </Paper>
      )}
      <RunsTable />
    </>
  );
}

function StatsCards() {
  const { t } = useTranslation("pipeline");
  const format = useFormat();
  const stats = useStats();
  const s = stats.data;
  const cards: [string, string][] = [
    ["totalRuns", format.integer(s?.total_runs)],
    ["successRate", format.percent(s?.success_rate, 0)],
    ["last24h", format.integer(s?.runs_last_24h)],
    ["averageDuration", format.duration(s?.average_duration_seconds)],
  ];
  return (
    <section aria-label={t("stats.title")}>
      {stats.error && <ErrorAlert error={stats.error} />}
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" mb="md">
        {cards.map(([id, value]) => (
          <Paper key={id} p="sm" data-testid={`stat-${id}`}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t(`stats.${id}`)}
            </Text>
            <Text fz="xl" fw={700} className="tw-num" style={{ textAlign: "start" }}>
              {value}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
    </section>
  );
}

function RunsTable() {
  const { t } = useTranslation("pipeline");
  const { t: common } = useTranslation();
  const format = useFormat();
  const strategies = useStrategies();
  const [filters, setFilters] = useState<RunFilters>({});
  // tokens of the pages before the one shown (first page: null)
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const token = pages[pages.length - 1];
  const runs = useRuns(filters, token);
  const items = (runs.data?.items ?? []) as PipelineRun[];
  useFollowJobs(items as unknown as Job[]);
  const filter = (changes: Partial<RunFilters>) => {
    setFilters((current) => {
      const next = { ...current, ...changes };
      for (const key of Object.keys(next) as (keyof RunFilters)[]) if (!next[key]) delete next[key];
      return next;
    });
    setPages([null]);
  };
  return (
    <Paper p="md" component="section" aria-labelledby="runs-title">
      <Title order={2} fz="h4" id="runs-title" mb="xs">
        {t("runs.title")}
      </Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" mb="sm">
        <Select
          label={t("runs.status")}
          placeholder={t("runs.any")}
          data={STATUSES.map((s) => ({ value: s, label: common(`jobStatus.${s}`) }))}
          value={filters.status ?? null}
          onChange={(value) => filter({ status: (value ?? undefined) as RunStatus | undefined })}
          clearable
        />
        <Select
          label={t("runs.mode")}
          placeholder={t("runs.any")}
          data={MODES.map((m) => ({ value: m, label: t(`mode.${m}`) }))}
          value={filters.mode ?? null}
          onChange={(value) => filter({ mode: (value ?? undefined) as Mode | undefined })}
          clearable
        />
        <Select
          label={t("runs.strategy")}
          placeholder={t("runs.any")}
          data={(strategies.data?.items ?? []).map((s) => ({ value: s.strategy_id, label: s.name }))}
          value={filters.strategy_id ?? null}
          onChange={(value) => filter({ strategy_id: value ?? undefined })}
          clearable
          searchable
          nothingFoundMessage={t("form.nothingFound")}
        />
        <TextInput type="date" label={t("runs.date")} value={filters.date ?? ""} onChange={(e) => filter({ date: e.currentTarget.value || undefined })} />
      </SimpleGrid>
      {runs.error && <ErrorAlert error={runs.error} />}
      {runs.isPending && <PageLoader />}
      {runs.isSuccess && items.length === 0 && (
        <Text c="dimmed" size="sm">
          {t("runs.empty")}
        </Text>
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="xs" highlightOnHover aria-labelledby="runs-title" data-testid="runs-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("runs.run")}</Table.Th>
                <Table.Th>{t("runs.status")}</Table.Th>
                <Table.Th>{t("runs.progress")}</Table.Th>
                <Table.Th className="tw-num">{t("runs.signals")}</Table.Th>
                <Table.Th>{t("runs.created")}</Table.Th>
                <Table.Th>
                  <span style={visuallyHidden}>{t("runs.actions")}</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((run) => {
                const title = runTitle(t, run);
                return (
                  <Table.Tr key={run.job_id} data-testid={`run-${run.job_id}`}>
                    <Table.Td maw={360}>
                      <Anchor
                        component={Link}
                        to={`/pipeline/runs/${run.job_id}`}
                        fw={600}
                        fz="sm"
                        translate={run.name ? "no" : undefined}
                        style={{ overflowWrap: "anywhere" }}
                      >
                        {title}
                      </Anchor>
                      <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
                        {t("run.meta", { mode: t(`mode.${run.mode}`), timeframe: t(`timeframe.${run.timeframe}`), universe: run.universe })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge run={run} />
                    </Table.Td>
                    <Table.Td miw={220}>
                      <RunProgress run={run} title={title} />
                    </Table.Td>
                    <Table.Td className="tw-num">{format.integer(run.signals_found)}</Table.Td>
                    <Table.Td>
                      <Text size="xs" component="time" dateTime={run.created_at}>
                        {format.dateTime(run.created_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <StopButton run={run} title={title} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group mt="sm" gap="xs">
        <Button variant="default" size="xs" disabled={pages.length <= 1} onClick={() => setPages((p) => p.slice(0, -1))}>
          {t("runs.previous")}
        </Button>
        <Button
          variant="default"
          size="xs"
          disabled={!runs.data?.next_token}
          loading={runs.isFetching && pages.length > 1}
          onClick={() => setPages((p) => [...p, runs.data?.next_token ?? null])}
        >
          {t("runs.next")}
        </Button>
        <Text size="xs" c="dimmed">
          {t("runs.page", { page: pages.length })}
        </Text>
      </Group>
    </Paper>
  );
}
