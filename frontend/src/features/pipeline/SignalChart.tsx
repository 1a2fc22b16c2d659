/** A signal on its symbol's candles: the bars around it with the signal marked (CandleChart). */
import { Anchor, Skeleton, Stack, Text } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "../../app/Page";
import { CandleChart, type ChartMarker } from "../../components/charts/CandleChart";
import { candlesFromColumns } from "../../components/charts/CandleChartData";
import { useFormat } from "../../i18n/format";
import { useCandles } from "../data/useData";
import { type Signal, useRun } from "./api";

export const SIDE_COLORS = { long: "#099268", short: "#e03131", flat: "#868e96" } as const;

/** The marker of a signal: an arrow up under the bar for long, down over it for short, a dot for flat. */
export function signalMarker(signal: Signal, text: string): ChartMarker {
  const time = Math.floor(Date.parse(signal.time) / 1000);
  if (signal.side === "long") return { time, position: "belowBar", shape: "arrowUp", color: SIDE_COLORS.long, text };
  if (signal.side === "short") return { time, position: "aboveBar", shape: "arrowDown", color: SIDE_COLORS.short, text };
  return { time, position: "aboveBar", shape: "circle", color: SIDE_COLORS.flat, text };
}

function monthsFrom(day: string, months: number): string {
  const date = new Date(day);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

/** A year of bars before the signal and three months after it. */
export function windowAround(time: string): { start: string; end: string } {
  const day = time.slice(0, 10);
  return { start: monthsFrom(day, -12), end: monthsFrom(day, 3) };
}

export function SignalChart({ signal, runId }: { signal: Signal; runId: string }) {
  const { t } = useTranslation("pipeline");
  const format = useFormat();
  const run = useRun(runId);
  const datasetId = run.data?.dataset_id;
  const { start, end } = windowAround(signal.time);
  const candles = useCandles(signal.symbol, { datasetId, start, end, maxPoints: 800 }, !!datasetId);
  const series = useMemo(() => (candles.data ? candlesFromColumns(candles.data) : null), [candles.data]);
  const markers = useMemo(
    () => [signalMarker(signal, t("signals.marker", { action: t(`action.${signal.action}`), close: format.number(signal.close, 2) }))],
    [signal, t, format],
  );
  const error = run.error ?? candles.error;
  return (
    <Stack gap="xs">
      <Text size="sm" className="tw-num" style={{ textAlign: "start" }}>
        {t("signals.chartInfo", {
          time: format.date(signal.time),
          action: t(`action.${signal.action}`),
          rule: signal.rule,
          strength: format.number(signal.strength, 3),
        })}
      </Text>
      {error && <ErrorAlert error={error} />}
      {series ? (
        <div data-testid="signal-chart">
          <CandleChart
            candles={series.candles}
            volume={series.volume}
            markers={markers}
            label={t("signals.chartLabel", { symbol: signal.symbol, time: format.date(signal.time) })}
            height={360}
          />
        </div>
      ) : (
        !error && <Skeleton height={360} />
      )}
      {Object.keys(signal.values).length > 0 && (
        <Text size="xs" c="dimmed" translate="no" className="tw-num" style={{ textAlign: "start", overflowWrap: "anywhere" }}>
          {Object.entries(signal.values)
            .map(([name, value]) => `${name} = ${format.number(value, 4)}`)
            .join(" · ")}
        </Text>
      )}
      {datasetId && (
        <Anchor
          component={Link}
          to={`/data/symbols/${encodeURIComponent(signal.symbol)}?dataset=${encodeURIComponent(datasetId)}&range=custom&start=${start}&end=${end}`}
          size="sm"
        >
          {t("signals.openSymbol", { symbol: signal.symbol })}
        </Anchor>
      )}
    </Stack>
  );
}
