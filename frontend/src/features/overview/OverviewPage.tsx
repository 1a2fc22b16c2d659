import { Badge, Grid, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Dataset } from "../../api/client";
import { ErrorAlert, PageHeader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useDatasets } from "../datasets/useDatasets";
import { useJobStats } from "../jobs/api";
import { JobsPanel } from "../jobs/JobsPanel";
import { useTopics } from "../realtime/RealtimeProvider";
import { coverage } from "./stats";

/** How many of the newest jobs (every kind) the panel lists. */
const SHOWN = 12;

const DATASET_COLORS: Record<string, string> = { ready: "teal", failed: "red", importing: "blue", queued: "gray", awaiting_upload: "gray" };

/** Research first: how the work is going (cards), the recent jobs live, the data at hand. */
export function OverviewPage() {
  const { t } = useTranslation("overview");
  const datasets = useDatasets();
  const items = datasets.data?.items ?? [];
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Stack gap="md">
        <StatCards datasets={items} />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <JobsPanel datasets={items} show={SHOWN} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <DataCoverage datasets={items} error={datasets.error} loaded={datasets.isSuccess} />
          </Grid.Col>
        </Grid>
      </Stack>
    </>
  );
}

function StatCards({ datasets }: { datasets: Dataset[] }) {
  const { t } = useTranslation("overview");
  const format = useFormat();
  // Every kind's figures from the server's counters (GET /jobs/stats), not from a listing's page.
  const figures = useJobStats();
  const stats = figures.data;
  const loaded = figures.isSuccess;
  const data = coverage(datasets);
  const cards = [
    { id: "jobs", value: format.integer(stats?.total), hint: t("cards.jobsHint", { running: format.integer(stats?.active ?? 0) }) },
    { id: "success", value: format.percent(stats?.success_rate ?? null), hint: t("cards.successHint") },
    { id: "last24h", value: format.integer(stats?.last_24h), hint: t("cards.last24hHint") },
    { id: "duration", value: format.duration(stats?.average_duration_seconds ?? null), hint: t("cards.durationHint") },
    {
      id: "coverage",
      value: t("cards.coverageValue", { count: data.symbols, formatted: format.integer(data.symbols) }),
      hint:
        data.start && data.end
          ? t("cards.coverageRange", { start: format.date(data.start), end: format.date(data.end) })
          : t("cards.coverageHint", { count: data.ready, formatted: format.integer(data.ready) }),
    },
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" component="section" aria-label={t("cards.label")}>
      {cards.map((card) => (
        <Paper key={card.id} p="sm" data-testid={`card-${card.id}`} style={card.id === "coverage" ? { gridColumn: "span 1" } : undefined}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t(`cards.${card.id}`)}
          </Text>
          <Text fz="xl" fw={700} className="tw-num" data-testid={`card-${card.id}-value`}>
            {loaded || card.id === "coverage" ? card.value : "…"}
          </Text>
          <Text size="xs" c="dimmed">
            {card.hint}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function DataCoverage({ datasets, error, loaded }: { datasets: Dataset[]; error: unknown; loaded: boolean }) {
  const { t } = useTranslation("overview");
  const { t: common } = useTranslation();
  const format = useFormat();
  useTopics(datasets.filter((d) => d.status !== "ready" && d.status !== "failed").map((d) => `dataset:${d.dataset_id}`));
  return (
    <Paper p="md" component="section" aria-labelledby="datasets-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="h4" id="datasets-title">
          {t("datasets.title")}
        </Title>
        {loaded && (
          <Text size="sm" c="dimmed" className="tw-num">
            {format.integer(datasets.length)}
          </Text>
        )}
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
      {loaded && datasets.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("datasets.empty")}
        </Text>
      )}
      <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: "none" }}>
        {datasets.map((d) => (
          <li key={d.dataset_id}>
            <Group gap={6} wrap="wrap">
              <Text size="sm" fw={500} style={{ wordBreak: "break-word" }} translate="no">
                {d.name}
              </Text>
              <Badge size="xs" variant="light" color={DATASET_COLORS[d.status] ?? "gray"}>
                {t(`datasets.status.${d.status}`)}
              </Badge>
              {d.synthetic && (
                <Badge size="xs" variant="light" color="yellow">
                  {common("synthetic")}
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed" className="tw-num">
              {t("datasets.meta", {
                symbols: t("datasets.symbols", { count: d.symbols_count ?? 0, formatted: format.integer(d.symbols_count) }),
                rows: t("datasets.rows", { count: d.rows ?? 0, formatted: format.integer(d.rows) }),
              })}
            </Text>
          </li>
        ))}
      </Stack>
    </Paper>
  );
}

export default OverviewPage;
