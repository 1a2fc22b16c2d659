import { Alert, Anchor, Paper, Table, Text, Title } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { ErrorAlert, PageHeader, PageLoader } from "../../app/Page";
import { epochSeconds, LineChart, type LineSeriesSpec } from "../../components/charts/LineChart";
import { useFormat } from "../../i18n/format";
import { type Comparison, useComparison, useCurvesOf } from "./api";
import { MAX_COMPARE } from "./RowActions";
import { formatMetric, METRIC_UNITS } from "./metrics";

/** The ids of `?ids=a,b,c`: each once, in order. */
export function idsOf(param: string | null): string[] {
  return Array.from(
    new Set(
      (param ?? "")
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  );
}

/** 2–4 backtests side by side: their returns overlaid (in percent of each one's starting cash, so
 * runs with different cash compare), then every portfolio metric in one row per metric. */
export default function ComparePage() {
  const { t } = useTranslation("backtests");
  const [params] = useSearchParams();
  const ids = idsOf(params.get("ids"));
  const valid = ids.length >= 2 && ids.length <= MAX_COMPARE;
  const comparison = useComparison(valid ? ids : []);
  const curves = useCurvesOf(valid ? ids : []);

  return (
    <>
      <PageHeader
        title={t("compare.title")}
        description={
          <Anchor component={Link} to="/backtests" size="sm">
            {t("compare.back")}
          </Anchor>
        }
      />
      {!valid && (
        <Alert color="orange" variant="light" role="alert">
          {t("compare.chooseRuns", { max: MAX_COMPARE })}
        </Alert>
      )}
      {comparison.error && <ErrorAlert error={comparison.error} />}
      {valid && comparison.isPending && <PageLoader />}
      {comparison.data && (
        <>
          <Paper p="md" mb="md" component="section" aria-labelledby="compare-curves-title">
            <Title order={2} fz="h4" id="compare-curves-title" mb="sm">
              {t("compare.curves")}
            </Title>
            {curves.some((c) => c.error) && <ErrorAlert error={curves.find((c) => c.error)?.error} />}
            {curves.every((c) => c.data) ? <Overlay comparison={comparison.data} curves={curves.map((c) => c.data!.portfolio)} /> : <PageLoader />}
          </Paper>
          <Paper p="md" component="section" aria-labelledby="compare-metrics-title">
            <Title order={2} fz="h4" id="compare-metrics-title" mb="sm">
              {t("compare.metrics")}
            </Title>
            <MetricsSideBySide comparison={comparison.data} />
          </Paper>
        </>
      )}
    </>
  );
}

function runLabel(comparison: Comparison, index: number): string {
  const run = comparison.backtests[index];
  return run.name || [run.strategy_name, run.symbols.join(", ")].filter(Boolean).join(" · ") || run.job_id;
}

function Overlay({ comparison, curves }: { comparison: Comparison; curves: { time: string[]; equity: (number | null)[] }[] }) {
  const { t } = useTranslation("backtests");
  const series = useMemo<LineSeriesSpec[]>(
    () =>
      curves.map((curve, index) => {
        const times = epochSeconds(curve.time);
        const first = curve.equity.find((value) => value !== null && value !== 0) ?? NaN;
        return {
          id: comparison.backtests[index].job_id,
          label: runLabel(comparison, index),
          tone: index,
          points: times.map((time, i) => ({ time, value: curve.equity[i] === null ? NaN : ((curve.equity[i] as number) / first - 1) * 100 })),
        };
      }),
    [comparison, curves],
  );
  return <LineChart series={series} label={t("compare.curvesLabel")} height={340} testId="compare-chart" />;
}

function MetricsSideBySide({ comparison }: { comparison: Comparison }) {
  const { t } = useTranslation("backtests");
  const format = useFormat();
  return (
    <Table.ScrollContainer minWidth={180 + 150 * comparison.backtests.length}>
      <Table striped verticalSpacing={4} fz="sm" aria-label={t("compare.metrics")} data-testid="compare-metrics">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("compare.metric")}</Table.Th>
            {comparison.backtests.map((run, index) => (
              <Table.Th key={run.job_id} className="tw-num" maw={220}>
                <Anchor component={Link} to={`/backtests/${run.job_id}`} size="sm" translate={run.name ? "no" : undefined} style={{ overflowWrap: "anywhere" }}>
                  {runLabel(comparison, index)}
                </Anchor>
                <Text size="xs" c="dimmed" fw={400} style={{ overflowWrap: "anywhere" }}>
                  {Object.entries(run.params)
                    .map(([name, value]) => `${name}=${String(value)}`)
                    .join(", ")}
                </Text>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {comparison.metrics.map((row) => (
            <Table.Tr key={row.metric} data-metric={row.metric}>
              <Table.Th scope="row" fw={400}>
                {t(`metric.${row.metric}`, { defaultValue: row.label })}
              </Table.Th>
              {row.values.map((value, index) => (
                <Table.Td key={comparison.backtests[index].job_id} className="tw-num">
                  {formatMetric(format, row.metric, value, METRIC_UNITS[row.metric] ?? row.unit)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
