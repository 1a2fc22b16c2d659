import type { TFunction } from "i18next";
import type { Job } from "../../api/client";

export function optimizationTitle(t: TFunction, job: Job): string {
  return job.name || t("optimizations:untitled", { id: job.job_id });
}

/** What a job ran, in one line: strategy (and version), symbols (the first few), dataset. */
export function ranText(t: TFunction, job: Job, shown = 6): string {
  const strategy = [
    job.strategy_name ?? job.strategy_id ?? t("optimizations:list.inlineStrategy"),
    job.strategy_version ? t("optimizations:list.version", { version: job.strategy_version }) : "",
  ]
    .filter(Boolean)
    .join(" ");
  const first = job.symbols.slice(0, shown).join(", ");
  const symbols = job.symbols.length > shown ? t("optimizations:list.moreSymbols", { shown: first, count: job.symbols.length - shown }) : first;
  return t("optimizations:list.ran", { strategy, symbols, dataset: job.dataset_id });
}
