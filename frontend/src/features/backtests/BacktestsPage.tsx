import { Anchor, Badge, Button, Checkbox, Group, Paper, Progress, Table, Text, Title } from "@mantine/core";
import { IconPlus, IconScale } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import type { Job } from "../../api/client";
import { ErrorAlert, PageHeader, PageLoader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useDatasets } from "../datasets/useDatasets";
import { STATUS_COLORS } from "../jobs/JobRow";
import { isFinal, type BacktestSummary } from "../jobs/jobState";
import { useFollowJobs } from "../jobs/useJobs";
import { useBacktestList } from "./api";
import { backtestMeta, backtestTitle } from "./describe";
import { RunForm } from "./RunForm";
import { MAX_COMPARE, RowActions, visuallyHidden } from "./RowActions";

const PAGE = 50;
const MAX_LIST = 200;

/** Every backtest with its live status and progress; a run form; 2–4 runs chosen to compare. */
export default function BacktestsPage() {
  const { t } = useTranslation("backtests");
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const showForm = params.get("new") === "1";
  const [limit, setLimit] = useState(PAGE);
  const list = useBacktestList(limit);
  const datasets = useDatasets();
  const jobs = list.data?.items ?? [];
  useFollowJobs(jobs);
  const [selected, setSelected] = useState<string[]>([]);
  const synthetic = new Set((datasets.data?.items ?? []).filter((d) => d.synthetic).map((d) => d.dataset_id));

  const toggle = (jobId: string) => setSelected((current) => (current.includes(jobId) ? current.filter((id) => id !== jobId) : [...current, jobId]));
  const canCompare = selected.length >= 2 && selected.length <= MAX_COMPARE;

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <Group gap="xs">
            <Button
              leftSection={<IconScale size={16} aria-hidden />}
              variant="default"
              disabled={!canCompare}
              onClick={() => navigate(`/backtests/compare?ids=${selected.map(encodeURIComponent).join(",")}`)}
            >
              {t("compareSelected", { count: selected.length })}
            </Button>
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setParams(showForm ? {} : { new: "1" })} aria-expanded={showForm}>
              {t("newBacktest")}
            </Button>
          </Group>
        }
      />
      {showForm && (
        <Paper p="md" mb="md" component="section" aria-labelledby="run-form-title">
          <Title order={2} fz="h4" id="run-form-title" mb="sm">
            {t("form.title")}
          </Title>
          <RunForm datasets={datasets.data?.items ?? []} onSubmitted={(job) => navigate(`/backtests/${job.job_id}`)} />
        </Paper>
      )}
      <Paper p="md" component="section" aria-labelledby="backtests-list-title">
        <Group justify="space-between" mb="xs" wrap="wrap">
          <Title order={2} fz="h4" id="backtests-list-title">
            {t("list.title")}
          </Title>
          <Text size="xs" c="dimmed">
            {t("list.compareHint", { max: MAX_COMPARE })}
          </Text>
        </Group>
        {list.error && <ErrorAlert error={list.error} />}
        {list.isPending && <PageLoader />}
        {list.isSuccess && jobs.length === 0 && (
          <Text c="dimmed" size="sm">
            {t("list.empty")}
          </Text>
        )}
        {jobs.length > 0 && (
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="xs" highlightOnHover aria-label={t("list.title")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={36}>
                    <span style={visuallyHidden}>{t("list.select")}</span>
                  </Table.Th>
                  <Table.Th>{t("list.backtest")}</Table.Th>
                  <Table.Th>{t("list.status")}</Table.Th>
                  <Table.Th className="tw-num">{t("list.return")}</Table.Th>
                  <Table.Th className="tw-num">{t("list.sharpe")}</Table.Th>
                  <Table.Th className="tw-num">{t("list.drawdown")}</Table.Th>
                  <Table.Th className="tw-num">{t("list.trades")}</Table.Th>
                  <Table.Th>{t("list.created")}</Table.Th>
                  <Table.Th>
                    <span style={visuallyHidden}>{t("list.actions")}</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {jobs.map((job) => (
                  <BacktestRow
                    key={job.job_id}
                    job={job}
                    synthetic={synthetic.has(job.dataset_id)}
                    selected={selected.includes(job.job_id)}
                    selectable={selected.includes(job.job_id) || selected.length < MAX_COMPARE}
                    onToggle={() => toggle(job.job_id)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {list.data?.next_token && limit < MAX_LIST && (
          <Button mt="sm" variant="default" onClick={() => setLimit((n) => Math.min(MAX_LIST, n + PAGE))} loading={list.isFetching}>
            {t("common:states.loadMore")}
          </Button>
        )}
      </Paper>
    </>
  );
}

function BacktestRow({
  job,
  synthetic,
  selected,
  selectable,
  onToggle,
}: {
  job: Job;
  synthetic: boolean;
  selected: boolean;
  selectable: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation("backtests");
  const { t: common } = useTranslation();
  const format = useFormat();
  const title = backtestTitle(t, job);
  const final = isFinal(job.status);
  const summary = job.status === "succeeded" ? (job.summary as unknown as BacktestSummary | null) : null;
  return (
    <Table.Tr data-testid={`backtest-${job.job_id}`}>
      <Table.Td>
        <Checkbox checked={selected} disabled={!selectable || job.status !== "succeeded"} onChange={onToggle} aria-label={t("list.selectOne", { title })} />
      </Table.Td>
      <Table.Td maw={420}>
        <Anchor component={Link} to={`/backtests/${job.job_id}`} fw={600} fz="sm" translate={job.name ? "no" : undefined} style={{ overflowWrap: "anywhere" }}>
          {title}
        </Anchor>
        <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
          {backtestMeta(t, job)}
        </Text>
        <Group gap={4} mt={2}>
          {job.cached && (
            <Badge variant="outline" color="gray" size="xs">
              {t("cached")}
            </Badge>
          )}
          {synthetic && (
            <Badge variant="light" color="yellow" size="xs">
              {common("synthetic")}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td miw={150}>
        <Badge variant="light" color={STATUS_COLORS[job.status] ?? "gray"} size="sm" data-testid="job-status" data-status={job.status}>
          {common(`jobStatus.${job.status}`)}
        </Badge>
        {!final && (
          <Group gap={6} mt={4} wrap="nowrap">
            <Progress value={job.progress.percent} w={90} size="sm" aria-label={t("progressOf", { title })} animated={job.status === "running"} />
            <Text size="xs" className="tw-num" data-testid="job-percent">
              {format.percent(job.progress.percent / 100, 0)}
            </Text>
          </Group>
        )}
        {job.status === "failed" && (
          <Text size="xs" c="var(--tw-error, var(--mantine-color-red-8))" translate="no" lineClamp={2} title={job.error ?? undefined}>
            {job.error}
          </Text>
        )}
      </Table.Td>
      <Table.Td className="tw-num">{summary ? format.percent((summary.return_pct ?? NaN) / 100, 2) : ""}</Table.Td>
      <Table.Td className="tw-num">{summary ? format.number(summary.sharpe, 2) : ""}</Table.Td>
      <Table.Td className="tw-num">{summary ? format.percent((summary.max_drawdown_pct ?? NaN) / 100, 2) : ""}</Table.Td>
      <Table.Td className="tw-num">{summary ? format.integer(summary.trades) : ""}</Table.Td>
      <Table.Td>
        <Text size="xs" component="time" dateTime={job.created_at}>
          {format.dateTime(job.created_at)}
        </Text>
      </Table.Td>
      <Table.Td>
        <RowActions job={job} title={title} />
      </Table.Td>
    </Table.Tr>
  );
}
