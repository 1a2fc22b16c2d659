/** Pieces of the result page: curves as charts, metrics grouped, the price chart with trade markers. */
import { Paper, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, PageLoader } from "../../app/Page";
import { CandleChart, type ChartMarker } from "../../components/charts/CandleChart";
import { candlesFromColumns } from "../../components/charts/CandleChartData";
import { epochSeconds, LineChart, type LineSeriesSpec } from "../../components/charts/LineChart";
import { useFormat } from "../../i18n/format";
import { type Curve, useAllTrades, useCandles } from "./api";
import { formatMetric, groupMetrics } from "./metrics";

/** Equity against buy and hold, and the drawdown below its running peak. */
export function CurveCharts({ curve, label }: { curve: Curve; label: string }) {
  const { t } = useTranslation("backtests");
  const { equity, drawdown } = useMemo(() => {
    const times = epochSeconds(curve.time);
    const line = (values: (number | null)[]) => times.map((time, i) => ({ time, value: values[i] ?? NaN }));
    const equity: LineSeriesSpec[] = [{ id: "equity", label: t("charts.equity"), points: line(curve.equity), tone: 0 }];
    if (curve.benchmark) equity.push({ id: "benchmark", label: t("charts.benchmark"), points: line(curve.benchmark), tone: "benchmark", dashed: true });
    const drawdown: LineSeriesSpec[] = [{ id: "drawdown", label: t("charts.drawdown"), points: line(curve.drawdown_pct), tone: "drawdown", kind: "area" }];
    return { equity, drawdown };
  }, [curve, t]);
  return (
    <SimpleGrid cols={{ base: 1 }} spacing="md">
      <div>
        <Title order={3} fz="h5" mb={4}>
          {t("charts.equityTitle")}
        </Title>
        <LineChart series={equity} label={t("charts.equityLabel", { label })} height={320} testId="equity-chart" />
      </div>
      <div>
        <Title order={3} fz="h5" mb={4}>
          {t("charts.drawdownTitle")}
        </Title>
        <LineChart series={drawdown} label={t("charts.drawdownLabel", { label })} height={180} testId="drawdown-chart" />
      </div>
    </SimpleGrid>
  );
}

/** Every metric of `values`, grouped (returns, risk-adjusted, risk, trades, period). */
export function MetricGroups({ values }: { values: Record<string, unknown> }) {
  const { t } = useTranslation("backtests");
  const format = useFormat();
  const groups = groupMetrics(values);
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="md">
      {groups.map((group) => (
        <div key={group.id}>
          <Title order={3} fz="h5" mb={4} id={`metrics-${group.id}`}>
            {t(`metricGroups.${group.id}`)}
          </Title>
          <Table verticalSpacing={3} fz="sm" aria-labelledby={`metrics-${group.id}`} data-testid={`metrics-${group.id}`}>
            <Table.Tbody>
              {group.metrics.map((metric) => (
                <Table.Tr key={metric} data-metric={metric}>
                  <Table.Th scope="row" fw={400} c="dimmed">
                    {t(`metric.${metric}`, { defaultValue: metric })}
                  </Table.Th>
                  <Table.Td className="tw-num" fw={500}>
                    {formatMetric(format, metric, values[metric])}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      ))}
    </SimpleGrid>
  );
}

const MARKER_TEXT_LIMIT = 40;

export const MARKER_COLORS = { entry: "#1c7ed6", exitWin: "#099268", exitLoss: "#e03131" };

/** The symbol's candles over the run's period with each trade's entry and exit as markers. */
export function PriceChart({
  jobId,
  symbol,
  datasetId,
  start,
  end,
}: {
  jobId: string;
  symbol: string;
  datasetId: string;
  start: string | null;
  end: string | null;
}) {
  const { t } = useTranslation("backtests");
  const format = useFormat();
  const candles = useCandles(symbol, { dataset_id: datasetId, start: start?.slice(0, 10), end: end?.slice(0, 10) }, true);
  const trades = useAllTrades(jobId, symbol, true);
  const data = useMemo(() => (candles.data ? candlesFromColumns(candles.data) : null), [candles.data]);
  const markers = useMemo(() => {
    const out: ChartMarker[] = [];
    for (const trade of trades.data?.items ?? []) {
      const long = (trade.size ?? 0) >= 0;
      out.push({
        time: Math.floor(Date.parse(trade.entry_time) / 1000),
        position: long ? "belowBar" : "aboveBar",
        color: MARKER_COLORS.entry,
        shape: long ? "arrowUp" : "arrowDown",
        text: t("markers.entry", { price: format.number(trade.entry_price, 2) }),
      });
      if (!trade.is_open)
        out.push({
          time: Math.floor(Date.parse(trade.exit_time) / 1000),
          position: long ? "aboveBar" : "belowBar",
          color: (trade.pnl ?? 0) >= 0 ? MARKER_COLORS.exitWin : MARKER_COLORS.exitLoss,
          shape: long ? "arrowDown" : "arrowUp",
          text: t("markers.exit", { price: format.number(trade.exit_price, 2) }),
        });
    }
    // prices on every marker only while they stay readable
    return out.length > MARKER_TEXT_LIMIT ? out.map(({ text: _text, ...marker }) => marker) : out;
  }, [trades.data, t, format]);
  if (candles.error) return <ErrorAlert error={candles.error} />;
  if (!data) return <PageLoader />;
  return (
    <div data-testid="price-chart" data-markers={markers.length}>
      <CandleChart candles={data.candles} volume={data.volume} markers={markers} label={t("charts.priceLabel", { symbol })} height={360} />
      <Text size="xs" c="dimmed" mt={4}>
        {t("charts.markersLegend", { count: markers.length, formatted: format.integer(markers.length) })}
      </Text>
    </div>
  );
}

export function Section({ title, children, id }: { title: string; children: React.ReactNode; id: string }) {
  return (
    <Paper p="md" component="section" aria-labelledby={id} mb="md">
      <Title order={2} fz="h4" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}
