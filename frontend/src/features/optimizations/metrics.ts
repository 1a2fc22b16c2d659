/** The metric catalogue's ids a sweep can rank and chart by (tradewind.metrics.catalog, in its
 * order), and the cheap screening subset. */
export const METRIC_IDS = [
  "return_pct",
  "sharpe",
  "sortino",
  "calmar",
  "max_drawdown_pct",
  "trades",
  "win_rate_pct",
  "profit_factor",
  "return_ann_pct",
  "cagr_pct",
  "volatility_ann_pct",
  "omega",
  "alpha_pct",
  "beta",
  "avg_drawdown_pct",
  "exposure_pct",
  "equity_final",
  "expectancy_pct",
  "sqn",
  "kelly",
  "avg_trade_pct",
  "best_trade_pct",
  "worst_trade_pct",
  "probabilistic_sharpe",
] as const;
export const SCREENING = ["return_pct", "sharpe", "max_drawdown_pct", "trades"] as const;
