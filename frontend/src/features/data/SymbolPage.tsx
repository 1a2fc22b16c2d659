import { Anchor, Badge, Group, Paper, SegmentedControl, Select, Skeleton, Stack, Text, TextInput } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { CandleChart } from "../../components/charts/CandleChart";
import { candlesFromColumns } from "../../components/charts/CandleChartData";
import { ErrorAlert, PageHeader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useCandles, useSymbolSearch } from "./useData";

/** Bars the API aggregates a long range into (OHLC buckets): enough for any screen's width. */
export const MAX_POINTS = 1500;

const RANGES = ["3m", "1y", "5y", "all"] as const;
type Range = (typeof RANGES)[number] | "custom";
const MONTHS: Record<string, number> = { "3m": 3, "1y": 12, "5y": 60 };

/** `end` (ISO) minus `months`, as an ISO date. */
export function monthsBefore(end: string, months: number): string {
  const date = new Date(end);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.toISOString().slice(0, 10);
}

/** A symbol's candles and volume over a range, from one of the datasets that hold it. */
export function SymbolPage() {
  const { symbol: raw = "" } = useParams();
  const symbol = raw.toUpperCase();
  const { t } = useTranslation("data");
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const found = useSymbolSearch(symbol, 50);
  const holders = useMemo(() => found.data?.items.find((item) => item.symbol === symbol)?.datasets ?? [], [found.data, symbol]);
  // Like the API's default: a real dataset before a synthetic one.
  const fallback = [...holders].sort((a, b) => Number(a.synthetic) - Number(b.synthetic))[0];
  const datasetId = params.get("dataset") ?? fallback?.dataset_id;
  const holder = holders.find((d) => d.dataset_id === datasetId) ?? fallback;
  const range = (params.get("range") as Range | null) ?? "1y";
  const custom = range === "custom";
  const end = custom ? params.get("end") || undefined : undefined;
  const start = custom ? params.get("start") || undefined : range !== "all" && holder ? monthsBefore(holder.end, MONTHS[range]) : undefined;

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  const ready = found.isSuccess || found.isError;
  // Wait for the symbol's datasets (their last bar anchors the range), unless the range needs none.
  const candles = useCandles(symbol, { datasetId, start, end, maxPoints: MAX_POINTS }, ready || range === "all" || custom);
  const series = useMemo(() => (candles.data ? candlesFromColumns(candles.data) : null), [candles.data]);
  const data = candles.data;

  return (
    <>
      <PageHeader
        title={symbol}
        description={
          <Anchor component={Link} to="/data" size="sm">
            {t("back")}
          </Anchor>
        }
      />
      <Paper p="md" component="section" aria-label={t("chart.title", { symbol })}>
        <Stack gap="sm">
          <Group gap="sm" align="flex-end" wrap="wrap">
            {holders.length > 1 && (
              <Select
                label={t("chart.dataset")}
                value={holder?.dataset_id ?? null}
                onChange={(value) => update({ dataset: value })}
                data={holders.map((d) => ({ value: d.dataset_id, label: d.synthetic ? `${d.dataset_name} · ${t("synthetic")}` : d.dataset_name }))}
                allowDeselect={false}
                style={{ flex: "1 1 14rem", maxWidth: 320 }}
              />
            )}
            <div>
              <Text size="sm" fw={500} id="range-label" mb={4}>
                {t("chart.range")}
              </Text>
              <SegmentedControl
                size="xs"
                aria-labelledby="range-label"
                value={range}
                onChange={(value) => update({ range: value, start: null, end: null })}
                data={[...RANGES, "custom"].map((value) => ({ value, label: t(`chart.ranges.${value}`) }))}
              />
            </div>
            {custom && (
              <>
                <TextInput
                  type="date"
                  label={t("chart.from")}
                  value={params.get("start") ?? ""}
                  onChange={(e) => update({ start: e.currentTarget.value })}
                  style={{ flex: "0 1 11rem" }}
                />
                <TextInput
                  type="date"
                  label={t("chart.to")}
                  value={params.get("end") ?? ""}
                  onChange={(e) => update({ end: e.currentTarget.value })}
                  style={{ flex: "0 1 11rem" }}
                />
              </>
            )}
          </Group>
          {candles.error && <ErrorAlert error={candles.error} />}
          {data && series ? (
            <>
              <Group gap="xs" wrap="wrap">
                <Text size="sm" c="dimmed" translate="no">
                  {data.dataset_name}
                </Text>
                {data.synthetic && (
                  <Badge size="xs" variant="light" color="gray">
                    {t("synthetic")}
                  </Badge>
                )}
                <Text size="sm" c="dimmed" className="tw-num" data-testid="bar-count">
                  {data.downsampled
                    ? t("chart.downsampled", { count: data.count, shown: format.integer(data.count), total: format.integer(data.total) })
                    : t("chart.bars", { count: data.count, formatted: format.integer(data.count) })}
                </Text>
              </Group>
              {data.count > 0 ? (
                <CandleChart
                  candles={series.candles}
                  volume={series.volume}
                  label={t("chart.label", {
                    symbol,
                    start: format.date(data.t[0] * 1000),
                    end: format.date(data.t[data.t.length - 1] * 1000),
                  })}
                  height={440}
                />
              ) : (
                <Text size="sm" c="dimmed">
                  {t("chart.empty")}
                </Text>
              )}
            </>
          ) : (
            !candles.error && <Skeleton height={440} />
          )}
        </Stack>
      </Paper>
    </>
  );
}

export default SymbolPage;
