/** How a backtest reads in a list or a heading: its name, or a default that says what it ran. */
import type { TFunction } from "i18next";
import type { Job } from "../../api/client";

/** "SMA cross · ZENX, QUBIT · 2020-01-01 → 2024-12-31" (what the form proposes as the name). */
export function defaultName(t: TFunction, strategy: string, symbols: string[], start: string | null, end: string | null): string {
  const shown = symbols.length > 4 ? `${symbols.slice(0, 3).join(", ")} +${symbols.length - 3}` : symbols.join(", ");
  const period = start || end ? `${start || "…"} → ${end || "…"}` : t("backtests:form.allData");
  return [strategy, shown, period].filter(Boolean).join(" · ");
}

/** The job's name, or one made from its strategy and symbols (a run from the CLI may have none). */
export function backtestTitle(t: TFunction, job: Job): string {
  if (job.name) return job.name;
  const strategy = job.strategy_name ?? job.strategy_id ?? t("backtests:inlineStrategy");
  return [strategy, job.symbols.join(", ")].filter(Boolean).join(" · ");
}

/** "SMA cross v3 · 2 symbols: ZENX, QUBIT · dataset sample". */
export function backtestMeta(t: TFunction, job: Job): string {
  const strategy = job.strategy_name ?? job.strategy_id ?? t("backtests:inlineStrategy");
  const version = job.strategy_version ? ` v${job.strategy_version}` : "";
  return t("backtests:meta", { strategy: `${strategy}${version}`, symbols: job.symbols.join(", "), count: job.symbols.length, dataset: job.dataset_id });
}
