/** The metrics catalogue (docs/metrics.md) as the result page groups and formats it. Labels are
 * translated (`backtests:metric.<id>`); values are formatted by unit in the page's language. */
import type { Formatters } from "../../i18n/format";

export type MetricUnit = "date" | "days" | "%" | "cash" | "ratio" | "count" | "probability";

export const METRIC_UNITS: Record<string, MetricUnit> = {
  start: "date",
  end: "date",
  duration_days: "days",
  exposure_pct: "%",
  equity_final: "cash",
  equity_peak: "cash",
  commissions: "cash",
  return_pct: "%",
  buy_hold_return_pct: "%",
  return_ann_pct: "%",
  volatility_ann_pct: "%",
  cagr_pct: "%",
  sharpe: "ratio",
  sortino: "ratio",
  calmar: "ratio",
  omega: "ratio",
  alpha_pct: "%",
  beta: "ratio",
  max_drawdown_pct: "%",
  avg_drawdown_pct: "%",
  max_drawdown_duration_days: "days",
  avg_drawdown_duration_days: "days",
  trades: "count",
  open_trades: "count",
  win_rate_pct: "%",
  best_trade_pct: "%",
  worst_trade_pct: "%",
  avg_trade_pct: "%",
  max_trade_duration_days: "days",
  avg_trade_duration_days: "days",
  profit_factor: "ratio",
  expectancy_pct: "%",
  sqn: "ratio",
  kelly: "ratio",
  max_consecutive_wins: "count",
  max_consecutive_losses: "count",
  tail_ratio: "ratio",
  var_95_pct: "%",
  probabilistic_sharpe: "probability",
};

/** Groups in reading order; a metric the catalogue gains later lands in "other". */
export const METRIC_GROUPS: { id: string; metrics: string[] }[] = [
  { id: "returns", metrics: ["return_pct", "buy_hold_return_pct", "return_ann_pct", "cagr_pct", "alpha_pct", "equity_final", "equity_peak"] },
  { id: "riskAdjusted", metrics: ["sharpe", "sortino", "calmar", "omega", "probabilistic_sharpe", "beta"] },
  {
    id: "risk",
    metrics: [
      "max_drawdown_pct",
      "avg_drawdown_pct",
      "max_drawdown_duration_days",
      "avg_drawdown_duration_days",
      "volatility_ann_pct",
      "var_95_pct",
      "tail_ratio",
    ],
  },
  {
    id: "trades",
    metrics: [
      "trades",
      "open_trades",
      "win_rate_pct",
      "best_trade_pct",
      "worst_trade_pct",
      "avg_trade_pct",
      "expectancy_pct",
      "profit_factor",
      "sqn",
      "kelly",
      "max_consecutive_wins",
      "max_consecutive_losses",
      "max_trade_duration_days",
      "avg_trade_duration_days",
    ],
  },
  { id: "period", metrics: ["start", "end", "duration_days", "exposure_pct", "commissions"] },
];

/** The groups holding the metrics of `values` (each metric once; unknown ones under "other"). */
export function groupMetrics(values: Record<string, unknown>): { id: string; metrics: string[] }[] {
  const known = new Set(METRIC_GROUPS.flatMap((group) => group.metrics));
  const groups = METRIC_GROUPS.map((group) => ({ id: group.id, metrics: group.metrics.filter((id) => id in values) }));
  const other = Object.keys(values).filter((id) => !known.has(id));
  if (other.length) groups.push({ id: "other", metrics: other });
  return groups.filter((group) => group.metrics.length > 0);
}

/** A metric's value as text: percents with a % sign, cash with two decimals, days, dates, counts. */
export function formatMetric(format: Formatters, metric: string, value: unknown, unit: string | undefined = METRIC_UNITS[metric]): string {
  if (typeof value === "string") return unit === "date" ? format.date(value) : value;
  if (typeof value !== "number") return format.number(null);
  switch (unit) {
    case "%":
      return format.percent(value / 100, 2);
    case "cash":
      return format.number(value, 2);
    case "count":
      return format.integer(value);
    case "days":
      return format.number(value, 1);
    case "probability":
      return format.percent(value, 1);
    default:
      return Number.isFinite(value) ? format.significant(value, 4) : value > 0 ? "∞" : format.number(null);
  }
}
