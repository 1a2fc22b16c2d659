/** `/jobs`: every job of every kind (imports, backtests, optimizations, pipeline runs) with the
 * tenant's figures, filters (kind, status, dates, name) and live status of the unfinished ones. */
import { Anchor, Badge, Button, Group, Paper, Progress, Select, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Job, JobKind, JobStatus } from "../../api/client";
import { ErrorAlert, PageHeader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { cleanFilters, type JobFilters, KINDS, STATUSES, useAllJobs, useJobStats } from "./api";
import { STATUS_COLORS } from "./JobRow";
import { StalledBadge } from "./StalledBadge";
import { useFollowJobs } from "./useJobs";

export function JobsPage() {
  const { t } = useTranslation("jobs");
  const [filters, setFilters] = useState<JobFilters>({});
  const jobs = useAllJobs(filters);
  const items = jobs.data?.pages.flatMap((page) => page.items) ?? [];
  useFollowJobs(items);
  const set = (patch: JobFilters) => setFilters((current) => ({ ...current, ...patch }));
  const filtered = Object.keys(cleanFilters(filters)).length > 0;
  return (
    <>
      <PageHeader title={t("page.title")} description={t("page.description")} />
      <Stack gap="md">
        <StatsCards />
        <Paper p="md" component="section" aria-labelledby="jobs-list-title">
          <Text component="h2" fz="h4" fw={700} id="jobs-list-title" mb="sm">
            {t("page.list")}
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm" mb="md" role="search" aria-label={t("filters.label")}>
            <Select
              label={t("filters.kind")}
              placeholder={t("filters.any")}
              clearable
              data={KINDS.map((kind) => ({ value: kind, label: t(`kinds.${kind}`) }))}
              value={filters.kind ?? null}
              onChange={(value) => set({ kind: (value ?? undefined) as JobKind | undefined })}
            />
            <Select
              label={t("filters.status")}
              placeholder={t("filters.any")}
              clearable
              data={STATUSES.map((status) => ({ value: status, label: t(`statuses.${status}`) }))}
              value={filters.status ?? null}
              onChange={(value) => set({ status: (value ?? undefined) as JobStatus | undefined })}
            />
            <TextInput
              type="date"
              label={t("filters.from")}
              value={filters.created_from ?? ""}
              onChange={(event) => set({ created_from: event.currentTarget.value || undefined })}
            />
            <TextInput
              type="date"
              label={t("filters.to")}
              value={filters.created_to ?? ""}
              onChange={(event) => set({ created_to: event.currentTarget.value || undefined })}
            />
            <TextInput
              type="search"
              label={t("filters.name")}
              placeholder={t("filters.namePlaceholder")}
              value={filters.name ?? ""}
              onChange={(event) => set({ name: event.currentTarget.value || undefined })}
            />
          </SimpleGrid>
          {jobs.error ? <ErrorAlert error={jobs.error} /> : null}
          {jobs.isSuccess && items.length === 0 && (
            <Text c="dimmed" size="sm" data-testid="jobs-empty">
              {filtered ? t("page.noMatch") : t("page.empty")}
            </Text>
          )}
          {items.length > 0 && <JobsTable jobs={items} />}
          {jobs.hasNextPage && (
            <Group justify="center" mt="sm">
              <Button variant="light" onClick={() => void jobs.fetchNextPage()} loading={jobs.isFetchingNextPage}>
                {t("page.more")}
              </Button>
            </Group>
          )}
        </Paper>
      </Stack>
    </>
  );
}

function JobsTable({ jobs }: { jobs: Job[] }) {
  const { t } = useTranslation("jobs");
  const format = useFormat();
  return (
    <Table.ScrollContainer minWidth={680}>
      <Table striped highlightOnHover aria-label={t("page.list")} data-testid="jobs-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("columns.name")}</Table.Th>
            <Table.Th>{t("columns.kind")}</Table.Th>
            <Table.Th>{t("columns.status")}</Table.Th>
            <Table.Th>{t("columns.progress")}</Table.Th>
            <Table.Th>{t("columns.created")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.map((job) => (
            <Table.Tr key={job.job_id} data-testid="job-row" data-kind={job.kind}>
              {/* a name wraps between words (inside one only when a word is wider than the column) */}
              <Table.Td miw={140} style={{ overflowWrap: "break-word" }}>
                <Anchor component={Link} to={`/jobs/${job.job_id}`} translate="no">
                  {job.name || job.strategy_name || t("untitled", { kind: t(`kinds.${job.kind}`), id: job.job_id.slice(-6) })}
                </Anchor>
              </Table.Td>
              <Table.Td>{t(`kinds.${job.kind}`)}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="wrap">
                  <Badge variant="light" color={STATUS_COLORS[job.status] ?? "gray"} data-testid="job-status">
                    {t(`statuses.${job.status}`)}
                  </Badge>
                  <StalledBadge job={job} size="sm" />
                </Group>
              </Table.Td>
              <Table.Td miw={120}>
                <Progress
                  value={job.progress.percent}
                  size="sm"
                  aria-label={t("progress.label", { title: job.name ?? job.job_id })}
                  color={STATUS_COLORS[job.status] ?? "blue"}
                />
                <Text size="xs" c="dimmed" className="tw-num">
                  {t("progress.percent", { percent: format.number(job.progress.percent, 0) })}
                </Text>
              </Table.Td>
              <Table.Td className="tw-num">{format.dateTime(job.created_at)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Total, success rate, last 24 h and average duration (`GET /jobs/stats`), then one card per kind. */
export function StatsCards() {
  const { t } = useTranslation("jobs");
  const format = useFormat();
  const stats = useJobStats();
  const data = stats.data;
  const value = (text: string) => (data ? text : "…");
  const cards = [
    { id: "total", value: value(format.integer(data?.total ?? 0)), hint: t("stats.activeHint", { active: format.integer(data?.active ?? 0) }) },
    { id: "success", value: value(format.percent(data?.success_rate ?? null)), hint: t("stats.successHint") },
    { id: "last24h", value: value(format.integer(data?.last_24h ?? 0)), hint: t("stats.last24hHint") },
    { id: "duration", value: value(format.duration(data?.average_duration_seconds ?? null)), hint: t("stats.durationHint") },
  ];
  return (
    <Stack gap="xs" component="section" aria-label={t("stats.label")}>
      {stats.error ? <ErrorAlert error={stats.error} /> : null}
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        {cards.map((card) => (
          <Paper key={card.id} p="sm" data-testid={`stat-${card.id}`}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t(`stats.${card.id}`)}
            </Text>
            <Text fz="xl" fw={700} className="tw-num" data-testid={`stat-${card.id}-value`}>
              {card.value}
            </Text>
            <Text size="xs" c="dimmed">
              {card.hint}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      {data && (
        <Group gap="xs" wrap="wrap" aria-label={t("stats.byKind")} role="list">
          {KINDS.map((kind) => {
            const figures = data.by_kind[kind];
            return (
              <Badge key={kind} role="listitem" variant="default" size="lg" tt="none" data-testid={`stat-kind-${kind}`}>
                {t("stats.kindLine", {
                  kind: t(`kinds.${kind}`),
                  total: format.integer(figures?.total ?? 0),
                  rate: format.percent(figures?.success_rate ?? null),
                })}
              </Badge>
            );
          })}
        </Group>
      )}
    </Stack>
  );
}

export default JobsPage;
