/** A job's progress over time (done of total, from `GET /jobs/{id}/progress`) on the shared canvas
 * LineChart; loaded lazily with it, so lightweight-charts stays out of the first load. */
import { useTranslation } from "react-i18next";
import { LineChart } from "../../components/charts/LineChart";
import type { ProgressSample } from "./api";

/** Percent done per second (a chart's times must strictly increase: the last sample of a second wins). */
export function progressPoints(samples: ProgressSample[]): { time: number; value: number }[] {
  const bySecond = new Map<number, number>();
  for (const sample of samples) {
    const time = Math.floor(Date.parse(sample.at) / 1000);
    bySecond.set(time, sample.total ? (100 * sample.done) / sample.total : 0);
  }
  return [...bySecond.entries()].sort((a, b) => a[0] - b[0]).map(([time, value]) => ({ time, value }));
}

export default function ProgressChart({ samples }: { samples: ProgressSample[] }) {
  const { t } = useTranslation("jobs");
  const points = progressPoints(samples);
  return (
    <LineChart
      label={t("detail.chartLabel")}
      height={220}
      precision={0}
      testId="progress-chart"
      series={[{ id: "done", label: t("detail.chartSeries"), points, tone: 0, kind: "area" }]}
    />
  );
}
