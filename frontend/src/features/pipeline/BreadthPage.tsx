import { Anchor, Group, Paper, Select, SimpleGrid, Skeleton, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { ErrorAlert, PageHeader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { usePipelineMessages, useBreadth, useBreadthHistories } from "./api";
import { BreadthChart } from "./BreadthChart";

/** Points asked of the API: enough for any screen's width (each bucket shows its last bar). */
export const MAX_POINTS = 1200;

/** A universe's breadth history over a range: every measure on one time axis. */
export default function BreadthPage() {
  const { t } = useTranslation("pipeline");
  const format = useFormat();
  usePipelineMessages();
  const [params, setParams] = useSearchParams();
  const histories = useBreadthHistories();
  const items = histories.data ?? [];
  const universe = params.get("universe") ?? items[0]?.universe ?? null;
  const forUniverse = items.filter((h) => h.universe === universe);
  const timeframe = params.get("timeframe") ?? forUniverse[0]?.timeframe ?? "1d";
  const start = params.get("start") ?? "";
  const end = params.get("end") ?? "";
  const breadth = useBreadth(universe, { timeframe, start, end, max_points: MAX_POINTS });
  const history = items.find((h) => h.universe === universe && h.timeframe === timeframe);
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  const universes = Array.from(new Set(items.map((h) => h.universe)));
  const points = breadth.data?.time.length ?? 0;
  return (
    <>
      <PageHeader title={t("breadth.title")} description={t("breadth.description")} />
      <Paper p="md" mb="md" component="section" aria-label={t("breadth.choose")}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
          <Select
            label={t("breadth.universe")}
            data={universes.map((u) => ({ value: u, label: u }))}
            value={universe}
            onChange={(value) => update({ universe: value, timeframe: null })}
            allowDeselect={false}
            searchable
            placeholder={histories.isSuccess && !items.length ? t("breadth.none") : undefined}
            nothingFoundMessage={t("form.nothingFound")}
          />
          <Select
            label={t("breadth.timeframe")}
            data={(forUniverse.length ? forUniverse.map((h) => h.timeframe) : [timeframe]).map((tf) => ({
              value: tf,
              label: t(`timeframe.${tf}`, { defaultValue: tf }),
            }))}
            value={timeframe}
            onChange={(value) => update({ timeframe: value })}
            allowDeselect={false}
          />
          <TextInput type="date" label={t("breadth.from")} value={start} onChange={(e) => update({ start: e.currentTarget.value })} />
          <TextInput type="date" label={t("breadth.to")} value={end} onChange={(e) => update({ end: e.currentTarget.value })} />
        </SimpleGrid>
        {history && (
          <Text size="xs" c="dimmed" mt="xs" className="tw-num" style={{ textAlign: "start" }}>
            {t("breadth.history", { bars: format.integer(history.bars), first: format.date(history.first), last: format.date(history.last) })}{" "}
            <Anchor component={Link} to={`/pipeline/runs/${history.run_id}`} size="xs" underline="always">
              {t("breadth.lastRun")}
            </Anchor>
          </Text>
        )}
      </Paper>
      <Paper p="md" component="section" aria-labelledby="breadth-chart-title">
        <Group justify="space-between" mb="xs" wrap="wrap">
          <Text fw={600} id="breadth-chart-title" component="h2" fz="h4" m={0}>
            {t("breadth.chartTitle")}
          </Text>
          {breadth.data && (
            <Text size="xs" c="dimmed" className="tw-num" data-testid="breadth-points">
              {t("breadth.points", { count: points, formatted: format.integer(points) })}
            </Text>
          )}
        </Group>
        {histories.error && <ErrorAlert error={histories.error} />}
        {breadth.error && <ErrorAlert error={breadth.error} />}
        {histories.isSuccess && !items.length && (
          <Text size="sm" c="dimmed">
            {t("breadth.empty")}{" "}
            <Anchor component={Link} to="/pipeline?new=1" size="sm" underline="always">
              {t("breadth.startRun")}
            </Anchor>
          </Text>
        )}
        {breadth.data ? (
          points > 0 ? (
            <BreadthChart
              breadth={breadth.data}
              label={t("breadth.chartLabel", {
                universe: universe ?? "",
                start: format.date(breadth.data.time[0]),
                end: format.date(breadth.data.time[points - 1]),
              })}
            />
          ) : (
            <Text size="sm" c="dimmed">
              {t("breadth.noBars")}
            </Text>
          )
        ) : (
          universe && !breadth.error && <Skeleton height={640} />
        )}
      </Paper>
    </>
  );
}
