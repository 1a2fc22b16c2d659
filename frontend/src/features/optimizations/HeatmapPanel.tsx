import { Group, NativeSelect, SimpleGrid, Text, UnstyledButton } from "@mantine/core";
import { type KeyboardEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { LEGEND_GRADIENT, scaleColor, textOn } from "./colors";
import { type Heatmap, useHeatmap } from "./useOptimizations";

type Agg = "max" | "mean" | "min";

interface Props {
  jobId: string;
  params: string[];
  metrics: string[];
  objective: { metric: string; direction: "maximize" | "minimize" };
  /** A cell was chosen: its parameter values, the metric and which way its best row lies. */
  onPick: (cell: { where: string[]; metric: string; order: "asc" | "desc" }) => void;
}

/** Any metric over any two parameters: a grid of buttons coloured on a viridis scale (the same in
 * light and dark themes, with a legend), arrow keys move between cells and Enter backtests the
 * cell's best combination. It is a real table, so screen readers read it as one. */
export function HeatmapPanel({ jobId, params, metrics, objective, onPick }: Props) {
  const { t } = useTranslation("optimizations");
  const [x, setX] = useState(params[0] ?? "");
  const [y, setY] = useState(params[1] ?? "");
  const [metric, setMetric] = useState(objective.metric);
  const [agg, setAgg] = useState<Agg>(objective.direction === "minimize" ? "min" : "max");
  const heatmap = useHeatmap(jobId, x, y, metric, agg);
  if (params.length < 2)
    return (
      <Text size="sm" c="dimmed">
        {t("heatmap.needTwo")}
      </Text>
    );
  const metricLabel = (m: string) => t(`metrics.${m}`, { defaultValue: m });
  const order = agg === "min" ? "asc" : agg === "max" ? "desc" : objective.direction === "minimize" ? "asc" : "desc";
  return (
    <>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" mb="sm">
        <NativeSelect
          id={`hm-x-${jobId}`}
          label={t("heatmap.x")}
          value={x}
          onChange={(e) => setX(e.currentTarget.value)}
          data={params.filter((p) => p !== y)}
        />
        <NativeSelect
          id={`hm-y-${jobId}`}
          label={t("heatmap.y")}
          value={y}
          onChange={(e) => setY(e.currentTarget.value)}
          data={params.filter((p) => p !== x)}
        />
        <NativeSelect
          id={`hm-metric-${jobId}`}
          label={t("heatmap.metric")}
          value={metric}
          onChange={(e) => setMetric(e.currentTarget.value)}
          data={metrics.map((m) => ({ value: m, label: metricLabel(m) }))}
        />
        <NativeSelect
          id={`hm-agg-${jobId}`}
          label={t("heatmap.agg")}
          value={agg}
          onChange={(e) => setAgg(e.currentTarget.value as Agg)}
          data={(["max", "mean", "min"] as const).map((a) => ({ value: a, label: t(`heatmap.aggs.${a}`) }))}
        />
      </SimpleGrid>
      {heatmap.error ? <ErrorAlert error={heatmap.error} /> : null}
      {heatmap.data && (
        <HeatmapGrid map={heatmap.data} label={metricLabel(heatmap.data.metric)} onPick={(where) => onPick({ where, metric: heatmap.data!.metric, order })} />
      )}
    </>
  );
}

function HeatmapGrid({ map, label, onPick }: { map: Heatmap; label: string; onPick: (where: string[]) => void }) {
  const { t } = useTranslation("optimizations");
  const format = useFormat();
  const grid = useRef<HTMLTableElement>(null);
  const [focus, setFocus] = useState<[number, number]>([0, 0]);
  const values = map.z.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const low = values.length ? Math.min(...values) : 0;
  const high = values.length ? Math.max(...values) : 1;
  const scale = (v: number) => (high > low ? (v - low) / (high - low) : 0.5);
  const rows = map.y.values.length;
  const cols = map.x.values.length;
  const [fj, fi] = focus[0] < rows && focus[1] < cols ? focus : [0, 0];
  const move = (event: KeyboardEvent, j: number, i: number) => {
    const delta: Record<string, [number, number]> = { ArrowUp: [1, 0], ArrowDown: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const d = delta[event.key];
    if (!d) return;
    event.preventDefault();
    const next: [number, number] = [Math.max(0, Math.min(rows - 1, j + d[0])), Math.max(0, Math.min(cols - 1, i + d[1]))];
    setFocus(next);
    grid.current?.querySelector<HTMLButtonElement>(`[data-cell="${next[0]}-${next[1]}"]`)?.focus();
  };
  // Rows top to bottom from the largest y, as a chart reads.
  const order = [...map.y.values.keys()].reverse();
  return (
    <>
      <div style={{ overflowX: "auto", maxWidth: "100%" }}>
        <table
          ref={grid}
          aria-label={t("heatmap.label", { metric: label, x: map.x.param, y: map.y.param })}
          style={{ borderCollapse: "separate", borderSpacing: 2 }}
          data-testid="heatmap"
        >
          <caption style={{ captionSide: "bottom", textAlign: "left" }}>
            <Text size="xs" c="dimmed">
              {t("heatmap.hint")}
            </Text>
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <Text size="xs" fw={700} translate="no">
                  {`${map.y.param} \\ ${map.x.param}`}
                </Text>
              </th>
              {map.x.values.map((xv) => (
                <th key={xv} scope="col" className="tw-num">
                  <Text size="xs">{format.number(xv, 6)}</Text>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {order.map((j) => (
              <tr key={map.y.values[j]}>
                <th scope="row" className="tw-num">
                  <Text size="xs">{format.number(map.y.values[j], 6)}</Text>
                </th>
                {map.x.values.map((xv, i) => {
                  const v = map.z[j][i];
                  const has = v !== null && Number.isFinite(v);
                  const text = has ? format.significant(v, 3) : "";
                  return (
                    <td key={xv} style={{ padding: 0 }}>
                      <UnstyledButton
                        data-cell={`${j}-${i}`}
                        data-testid="heatmap-cell"
                        tabIndex={j === fj && i === fi ? 0 : -1}
                        onFocus={() => setFocus([j, i])}
                        onKeyDown={(e) => move(e, j, i)}
                        disabled={!has}
                        onClick={() => onPick([`${map.x.param}:${xv}`, `${map.y.param}:${map.y.values[j]}`])}
                        aria-label={t("heatmap.cell", {
                          x: map.x.param,
                          xv: format.number(xv, 6),
                          y: map.y.param,
                          yv: format.number(map.y.values[j], 6),
                          metric: label,
                          value: has ? format.significant(v) : t("heatmap.empty"),
                        })}
                        className="tw-num"
                        style={{
                          display: "block",
                          minWidth: 44,
                          height: 30,
                          padding: "0 4px",
                          fontSize: 11,
                          textAlign: "center",
                          borderRadius: 3,
                          background: has ? scaleColor(scale(v)) : "var(--mantine-color-default-hover)",
                          color: has ? textOn(scale(v)) : "var(--mantine-color-dimmed)",
                          cursor: has ? "pointer" : "default",
                        }}
                      >
                        {text}
                      </UnstyledButton>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Group
        gap="xs"
        mt="xs"
        wrap="nowrap"
        role="img"
        aria-label={`${t("heatmap.legend", { metric: label })}: ${format.significant(low)} – ${format.significant(high)}`}
      >
        <Text size="xs" className="tw-num" aria-hidden>
          {format.significant(low)}
        </Text>
        <div style={{ flex: "0 1 240px", height: 10, borderRadius: 5, background: LEGEND_GRADIENT }} aria-hidden />
        <Text size="xs" className="tw-num" aria-hidden>
          {format.significant(high)}
        </Text>
      </Group>
    </>
  );
}
