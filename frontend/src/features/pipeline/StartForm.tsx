import { Button, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Dataset } from "../../api/client";
import { useChanged, useUnsavedChangesGuard } from "../../app/useUnsavedChangesGuard";
import { useFormat } from "../../i18n/format";
import { useWatchlists } from "../backtests/api";
import { SubmitAlerts, useLocatedProblems } from "../backtests/SubmitProblems";
import { DatasetSelect, StrategyVersionSelects, SymbolsInput, WatchlistSelect, defaultDatasetId, useStrategyChoice } from "../backtests/JobFormFields";
import { parameterProblem, StrategyParameters } from "../backtests/RunForm";
import { MODES, type Mode, type PipelineRun, type PipelineRunRequest, TIMEFRAMES, type Timeframe, useStartRun } from "./api";
import { NeedsRole } from "../accounts/NeedsRole";

export const UNIVERSES = ["sample", "dataset", "watchlist", "symbols"] as const;
export type UniverseKind = (typeof UNIVERSES)[number];

export interface StartState {
  mode: Mode;
  universe: UniverseKind;
  datasetId: string | null;
  watchlistId: string | null;
  symbols: string[];
  /** `s:<id>` a stored strategy, `t:<name>` a template. */
  strategy: string | null;
  version: string;
  params: Record<string, number | string>;
  timeframe: Timeframe;
  start: string;
  end: string;
  name: string;
}

/** The request the form sends (what it holds, less what is empty or unused by the universe's kind). */
export function buildRunRequest(form: StartState): PipelineRunRequest {
  const body: PipelineRunRequest = { mode: form.mode, timeframe: form.timeframe, universe: { kind: form.universe } };
  if (form.universe !== "sample") body.universe!.dataset_id = form.datasetId ?? "";
  if (form.universe === "watchlist") body.universe!.watchlist_id = form.watchlistId ?? "";
  if (form.universe === "symbols") body.universe!.symbols = form.symbols;
  if (form.strategy?.startsWith("s:")) {
    body.strategy_id = form.strategy.slice(2);
    if (form.version) body.strategy_version = Number(form.version);
  } else if (form.strategy?.startsWith("t:")) body.template = form.strategy.slice(2);
  const params: Record<string, number> = {};
  for (const [name, value] of Object.entries(form.params)) if (value !== "" && value !== null) params[name] = Number(value);
  if (Object.keys(params).length) body.params = params;
  if (form.start) body.start = form.start;
  if (form.end) body.end = form.end;
  if (form.name.trim()) body.name = form.name.trim();
  return body;
}

/** The form field that shows a server message at a body path (`universe.symbols.2` → `symbols`). */
export function fieldOf(path: string): string | null {
  const parts = path.split(".");
  if (parts[0] === "universe") return parts[1] === "symbols" ? "symbols" : (parts[1] ?? "universe");
  if (parts[0] === "params") return parts.length > 1 ? `params.${parts[1]}` : "params";
  if (parts[0] === "strategy" || parts[0] === "template") return "strategy_id";
  return ["strategy_id", "strategy_version", "mode", "timeframe", "start", "end", "name"].includes(parts[0]) ? parts[0] : null;
}

export const INITIAL_START: StartState = {
  mode: "demo",
  universe: "sample",
  datasetId: null,
  watchlistId: null,
  symbols: [],
  strategy: null,
  version: "",
  params: {},
  timeframe: "1d",
  start: "",
  end: "",
  name: "",
};

/** The form holding a request (a workflow step's, a schedule's target). */
export function fromRunRequest(request: Partial<PipelineRunRequest>): StartState {
  const universe = request.universe;
  return {
    ...INITIAL_START,
    mode: request.mode ?? INITIAL_START.mode,
    universe: (universe?.kind as UniverseKind | undefined) ?? INITIAL_START.universe,
    datasetId: universe?.dataset_id || null,
    watchlistId: universe?.watchlist_id ?? null,
    symbols: universe?.symbols ?? [],
    strategy: request.strategy_id ? `s:${request.strategy_id}` : request.template ? `t:${request.template}` : null,
    version: request.strategy_version ? String(request.strategy_version) : "",
    params: { ...(request.params ?? {}) },
    timeframe: request.timeframe ?? INITIAL_START.timeframe,
    start: request.start ?? "",
    end: request.end ?? "",
    name: request.name ?? "",
  };
}

/** What the fields and the request follow from: the strategy (or its default), the dataset, the problems found before sending. */
export function useStartForm(form: StartState, datasets: Dataset[]) {
  const { t } = useTranslation("pipeline");
  const watchlists = useWatchlists();
  const ready = datasets.filter((d) => d.status === "ready");
  const choice = useStrategyChoice(form.strategy, form.version, { preferStored: false });
  const datasetId = defaultDatasetId(ready, form.datasetId);
  const local = {
    symbols: form.universe === "symbols" && form.symbols.length === 0 ? t("form.needSymbols") : undefined,
    watchlist: form.universe === "watchlist" && !form.watchlistId ? t("form.needWatchlist") : undefined,
  };
  const badParameter = choice.parameters.some(([name, p]) => parameterProblem(p, form.params[name] ?? p.default) !== null);
  const toRequest = () => buildRunRequest({ ...form, strategy: choice.strategy, datasetId });
  return { choice, ready, datasetId, watchlists, local, badParameter, toRequest };
}

type Derived = ReturnType<typeof useStartForm>;

/** The start form's fields, on its state: shared by the start form and the pipeline-run request editor. */
export function StartFields({
  form,
  setForm,
  derived,
  at,
  checked,
}: {
  form: StartState;
  setForm: (update: (current: StartState) => StartState) => void;
  derived: Derived;
  at: (field: string) => string | undefined;
  checked: boolean;
}) {
  const { t } = useTranslation("pipeline");
  // Ids unique per instance: a workflow holds several of these forms, one per step.
  const uid = useId();
  const format = useFormat();
  const { choice, ready, datasetId, watchlists, local } = derived;
  const { parameters } = choice;
  const set = <K extends keyof StartState>(key: K, value: StartState[K]) => setForm((current) => ({ ...current, [key]: value }));
  return (
    <>
      <Group gap="lg" align="flex-start" wrap="wrap">
        <div>
          <Text size="sm" fw={500} id={`${uid}-mode-label`} mb={4}>
            {t("form.mode")}
          </Text>
          <SegmentedControl
            aria-labelledby={`${uid}-mode-label`}
            value={form.mode}
            onChange={(value) => set("mode", value as Mode)}
            data={MODES.map((mode) => ({ value: mode, label: t(`mode.${mode}`) }))}
          />
          {at("mode") && (
            <Text size="xs" c="var(--tw-error, var(--mantine-color-red-8))" role="alert">
              {at("mode")}
            </Text>
          )}
        </div>
        <div style={{ minWidth: 0, maxWidth: "100%" }}>
          <Text size="sm" fw={500} id={`${uid}-universe-label`} mb={4}>
            {t("form.universe")}
          </Text>
          <SegmentedControl
            aria-labelledby={`${uid}-universe-label`}
            value={form.universe}
            onChange={(value) => set("universe", value as UniverseKind)}
            data={UNIVERSES.map((kind) => ({ value: kind, label: t(`universe.${kind}`) }))}
            style={{ maxWidth: "100%", flexWrap: "wrap" }}
          />
          {at("kind") && (
            <Text size="xs" c="var(--tw-error, var(--mantine-color-red-8))" role="alert">
              {at("kind")}
            </Text>
          )}
        </div>
      </Group>
      <Text size="xs" c="dimmed">
        {t(`form.modeHint.${form.mode}`)}
      </Text>
      {form.universe !== "sample" && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <DatasetSelect ns="pipeline" ready={ready} value={datasetId} onChange={(value) => set("datasetId", value)} error={at("dataset_id")} />
          {form.universe === "watchlist" && (
            <WatchlistSelect
              ns="pipeline"
              watchlists={watchlists.data?.items}
              optionLabel={(w) => `${w.name} (${format.integer(w.symbols.length)})`}
              value={form.watchlistId}
              onChange={(value) => set("watchlistId", value)}
              error={at("watchlist_id") ?? (checked ? local.watchlist : undefined)}
            />
          )}
        </SimpleGrid>
      )}
      {form.universe === "symbols" && (
        <SymbolsInput
          ns="pipeline"
          datasetId={datasetId}
          value={form.symbols}
          onChange={(value) => set("symbols", value)}
          error={at("symbols") ?? (checked ? local.symbols : undefined)}
          maxValues={5000}
        />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        <StrategyVersionSelects
          ns="pipeline"
          choice={choice}
          version={form.version}
          onStrategy={(value) => setForm((current) => ({ ...current, strategy: value, version: "", params: {} }))}
          onVersion={(value) => setForm((current) => ({ ...current, version: value, params: {} }))}
          strategyError={at("strategy_id")}
          versionError={at("strategy_version")}
        />
        <Select
          label={t("form.timeframe")}
          data={TIMEFRAMES.map((tf) => ({ value: tf, label: t(`timeframe.${tf}`) }))}
          value={form.timeframe}
          onChange={(value) => set("timeframe", (value ?? "1d") as Timeframe)}
          allowDeselect={false}
          error={at("timeframe")}
        />
      </SimpleGrid>
      <StrategyParameters
        parameters={parameters}
        values={form.params}
        onChange={(name, value) => setForm((current) => ({ ...current, params: { ...current.params, [name]: value } }))}
        at={at}
      />
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 3 }} spacing="sm">
        <TextInput type="date" label={t("form.start")} value={form.start} onChange={(e) => set("start", e.currentTarget.value)} error={at("start")} />
        <TextInput type="date" label={t("form.end")} value={form.end} onChange={(e) => set("end", e.currentTarget.value)} error={at("end")} />
        <TextInput
          label={t("form.name")}
          value={form.name}
          onChange={(e) => set("name", e.currentTarget.value)}
          error={at("name")}
          description={t("form.nameHint")}
        />
      </SimpleGrid>
    </>
  );
}

export function StartForm({ datasets, onStarted }: { datasets: Dataset[]; onStarted: (run: PipelineRun) => void }) {
  const { t } = useTranslation("pipeline");
  const start = useStartRun();
  const [form, setForm] = useState<StartState>(INITIAL_START);
  const { prompt, release } = useUnsavedChangesGuard(useChanged(form));
  const derived = useStartForm(form, datasets);
  const { located, at } = useLocatedProblems(start.error, fieldOf, form.symbols);
  const [checked, setChecked] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (derived.local.symbols || derived.local.watchlist || derived.badParameter) return;
    start.mutate(derived.toRequest(), { onSuccess: (made) => (release(), onStarted(made)) });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby="start-form-hint">
      {prompt}
      <Stack gap="md">
        <Text size="sm" c="dimmed" id="start-form-hint">
          {t("form.hint")}
        </Text>
        <StartFields form={form} setForm={setForm} derived={derived} at={at} checked={checked} />
        <SubmitAlerts error={start.error} located={located} ns="pipeline" />
        <Group>
          <NeedsRole role="researcher">
            <Button type="submit" loading={start.isPending} disabled={!derived.choice.strategy}>
              {t("form.submit")}
            </Button>
          </NeedsRole>
        </Group>
      </Stack>
    </form>
  );
}
