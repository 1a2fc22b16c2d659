/** Fields the job forms share (backtest run, pipeline run): the strategy and version pickers, the dataset,
 * the watchlist and the symbols autocomplete. Each takes the namespace of its form (`form.*` keys there). */
import { MultiSelect, Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Dataset } from "../../api/client";
import { type StrategyParameter, useStrategies, useStrategyDocument, useStrategyVersions, useSymbolSearch, useTemplates } from "./api";

const DEFAULT_TEMPLATE = "sma_cross";

/** What the watchlist picker needs of a watchlist. */
interface Watchlist {
  watchlist_id: string;
  name: string;
  symbols: string[];
}

/** The namespaces whose `form.*` keys label these fields. */
type FormNamespace = "backtests" | "pipeline";

/**
 * The chosen strategy (`s:<id>` a stored one, `t:<name>` a template) or the default until one is chosen:
 * the newest stored strategy when `preferStored`, else the SMA-cross template, else the first template;
 * with its versions, its document and its parameters.
 */
export function useStrategyChoice(chosen: string | null, version: string, { preferStored }: { preferStored: boolean }) {
  const strategies = useStrategies();
  const templates = useTemplates();
  const stored = strategies.data?.items ?? [];
  const templateItems = templates.data?.items ?? [];
  const strategy =
    chosen ??
    (preferStored && stored[0]
      ? `s:${stored[0].strategy_id}`
      : templateItems.some((x) => x.template === DEFAULT_TEMPLATE)
        ? `t:${DEFAULT_TEMPLATE}`
        : templateItems[0]
          ? `t:${templateItems[0].template}`
          : null);
  const strategyId = strategy?.startsWith("s:") ? strategy.slice(2) : null;
  const template = strategy?.startsWith("t:") ? strategy.slice(2) : null;
  const versions = useStrategyVersions(strategyId);
  const documentQuery = useStrategyDocument({ strategyId, version: version ? Number(version) : null, template });
  const document = documentQuery.data?.document;
  const parameters = useMemo(() => Object.entries((document?.parameters ?? {}) as Record<string, StrategyParameter>), [document]);
  return { stored, templateItems, strategy, strategyId, template, versions, documentQuery, document, parameters };
}

export type StrategyChoice = ReturnType<typeof useStrategyChoice>;

/** The strategy picker (stored ones, then templates) and its version (latest by default; none for a template). */
export function StrategyVersionSelects({
  ns,
  choice,
  version,
  onStrategy,
  onVersion,
  strategyError,
  versionError,
  versionNotes = false,
}: {
  ns: FormNamespace;
  choice: StrategyChoice;
  version: string;
  onStrategy: (value: string | null) => void;
  onVersion: (value: string) => void;
  strategyError?: string;
  versionError?: string;
  /** Show each version's note beside its number. */
  versionNotes?: boolean;
}) {
  const { t } = useTranslation(ns);
  const strategyData = [
    ...(choice.stored.length ? [{ group: t("form.stored"), items: choice.stored.map((s) => ({ value: `s:${s.strategy_id}`, label: s.name })) }] : []),
    { group: t("form.templates"), items: choice.templateItems.map((x) => ({ value: `t:${x.template}`, label: x.name })) },
  ];
  const versionData = [
    { value: "", label: t("form.latest") },
    ...(choice.versions.data?.items ?? []).map((v) => ({
      value: String(v.version),
      label: versionNotes && v.note ? `v${v.version} · ${v.note}` : `v${v.version}`,
    })),
  ];
  return (
    <>
      <Select
        label={t("form.strategy")}
        data={strategyData}
        value={choice.strategy}
        onChange={onStrategy}
        searchable
        allowDeselect={false}
        required
        error={strategyError}
        nothingFoundMessage={t("form.nothingFound")}
      />
      <Select
        label={t("form.version")}
        data={versionData}
        value={version}
        onChange={(value) => onVersion(value ?? "")}
        disabled={!choice.strategyId}
        allowDeselect={false}
        error={versionError}
        description={choice.template ? t("form.templateVersion") : undefined}
      />
    </>
  );
}

/** The ready dataset to run on, or the sample one (else the first ready) until one is chosen. */
export function defaultDatasetId(ready: Dataset[], chosen: string | null): string | null {
  return chosen ?? (ready.find((d) => d.dataset_id === "sample") ?? ready[0])?.dataset_id ?? null;
}

/** A ready dataset. */
export function DatasetSelect({
  ns,
  ready,
  value,
  onChange,
  error,
}: {
  ns: FormNamespace;
  ready: Dataset[];
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string;
}) {
  const { t } = useTranslation(ns);
  return (
    <Select
      label={t("form.dataset")}
      data={ready.map((d) => ({ value: d.dataset_id, label: d.name }))}
      value={value}
      onChange={onChange}
      allowDeselect={false}
      required
      error={error}
      placeholder={ready.length ? undefined : t("form.noDatasets")}
    />
  );
}

/** One of the tenant's watchlists, each labelled by `optionLabel` (its name and size). */
export function WatchlistSelect({
  ns,
  watchlists,
  optionLabel,
  value,
  onChange,
  error,
}: {
  ns: FormNamespace;
  watchlists: Watchlist[] | undefined;
  optionLabel: (watchlist: Watchlist) => string;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string;
}) {
  const { t } = useTranslation(ns);
  return (
    <Select
      label={t("form.watchlist")}
      data={(watchlists ?? []).map((w) => ({ value: w.watchlist_id, label: optionLabel(w) }))}
      value={value}
      onChange={onChange}
      required
      error={error}
      placeholder={watchlists?.length ? undefined : t("form.noWatchlists")}
    />
  );
}

/** Symbols, suggested from the dataset as one types (the chosen ones stay among the options). */
export function SymbolsInput({
  ns,
  datasetId,
  value,
  onChange,
  error,
  maxValues,
}: {
  ns: FormNamespace;
  datasetId: string | null;
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
  maxValues: number;
}) {
  const { t } = useTranslation(ns);
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim().toUpperCase(), 200);
  const symbols = useSymbolSearch(debounced, datasetId);
  const options = useMemo(() => Array.from(new Set([...value, ...(symbols.data ?? []).map((item) => item.symbol)])), [symbols.data, value]);
  return (
    <MultiSelect
      label={t("form.symbols")}
      description={t("form.symbolsHint")}
      data={options}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={t("form.nothingFound")}
      required
      error={error}
      maxValues={maxValues}
      hidePickedOptions
    />
  );
}
