import { Button, Checkbox, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Dataset, Job } from "../../api/client";
import { useChanged, useUnsavedChangesGuard } from "../../app/useUnsavedChangesGuard";
import { useFormat } from "../../i18n/format";
import { type BacktestRequest, type StrategyParameter, useSubmitBacktest, useWatchlists } from "./api";
import { defaultName } from "./describe";
import { SubmitAlerts, useLocatedProblems } from "./SubmitProblems";
import { DatasetSelect, StrategyVersionSelects, SymbolsInput, WatchlistSelect, defaultDatasetId, useStrategyChoice } from "./JobFormFields";
import { NeedsRole } from "../accounts/NeedsRole";

/** `s:<id>` a stored strategy, `t:<name>` a built-in template. */
type StrategyChoice = string;

interface FormState {
  strategy: StrategyChoice | null;
  version: string; // "" = latest
  datasetId: string | null;
  universe: "symbols" | "watchlist";
  symbols: string[];
  watchlistId: string | null;
  start: string;
  end: string;
  cash: number | string;
  commissionPct: number | string;
  commissionFixed: number | string;
  slippageBps: number | string;
  params: Record<string, number | string>;
  name: string;
  force: boolean;
}

/** The request the form sends (what it holds, less what is left empty). */
export function buildRequest(form: FormState, strategyName: string, t: (key: string) => string): BacktestRequest {
  const body: BacktestRequest = { dataset_id: form.datasetId ?? "", cash: Number(form.cash), force: form.force } as BacktestRequest;
  if (form.strategy?.startsWith("s:")) {
    body.strategy_id = form.strategy.slice(2);
    if (form.version) body.strategy_version = Number(form.version);
  }
  if (form.universe === "symbols") body.symbols = form.symbols;
  else body.watchlist_id = form.watchlistId ?? "";
  if (form.start) body.start = form.start;
  if (form.end) body.end = form.end;
  body.costs = {
    commission: Number(form.commissionPct || 0) / 100,
    commission_fixed: Number(form.commissionFixed || 0),
    slippage_bps: Number(form.slippageBps || 0),
  };
  const params: Record<string, number> = {};
  for (const [name, value] of Object.entries(form.params)) if (value !== "" && value !== null) params[name] = Number(value);
  body.params = params;
  body.name = form.name.trim() || defaultName(t as never, strategyName, form.universe === "symbols" ? form.symbols : [], form.start || null, form.end || null);
  return body;
}

/** How numbers are typed in the page's language (French: "10 000,5"). */
export function separators(lang: string): { thousandSeparator: string; decimalSeparator: string } {
  const parts = new Intl.NumberFormat(lang).formatToParts(10000.5);
  const group = parts.find((part) => part.type === "group")?.value ?? ",";
  return { thousandSeparator: group === "\u202f" ? "\u00a0" : group, decimalSeparator: parts.find((part) => part.type === "decimal")?.value ?? "." };
}

/** A parameter value the server would refuse: not a number, a fraction for an int, outside its range. */
export function parameterProblem(parameter: StrategyParameter, value: number | string): "number" | "whole" | "range" | null {
  const number = typeof value === "number" ? value : Number(value);
  if (value === "" || !Number.isFinite(number)) return "number";
  if (parameter.type !== "float" && !Number.isInteger(number)) return "whole";
  if (
    (parameter.min !== null && parameter.min !== undefined && number < parameter.min) ||
    (parameter.max !== null && parameter.max !== undefined && number > parameter.max)
  )
    return "range";
  return null;
}

/** Body fields the form shows a problem at (anything else goes to the alert above the button). */
const FIELDS = [
  "strategy_id",
  "strategy_version",
  "strategy",
  "dataset_id",
  "symbols",
  "watchlist_id",
  "start",
  "end",
  "cash",
  "costs",
  "params",
  "weights",
  "name",
];

export function fieldOf(path: string): string | null {
  const top = path.split(".")[0];
  if (top === "params" && path.includes(".")) return path; // params.<name>: at that parameter
  return FIELDS.includes(top) ? top : null;
}

export const INITIAL_FORM: FormState = {
  strategy: null,
  version: "",
  datasetId: null,
  universe: "symbols",
  symbols: [],
  watchlistId: null,
  start: "",
  end: "",
  cash: 10000,
  commissionPct: 0.1,
  commissionFixed: 0,
  slippageBps: 0,
  params: {},
  name: "",
  force: false,
};

/** The form holding a request (a workflow step's, a schedule's target); an inline strategy document
 * is kept by the request editor, the form shows its defaults for the strategy then. */
export function fromRequest(request: Partial<BacktestRequest>): FormState {
  const costs = request.costs ?? null;
  return {
    ...INITIAL_FORM,
    strategy: request.strategy_id ? `s:${request.strategy_id}` : null,
    version: request.strategy_version ? String(request.strategy_version) : "",
    datasetId: request.dataset_id || null,
    universe: request.watchlist_id ? "watchlist" : "symbols",
    symbols: request.symbols ?? [],
    watchlistId: request.watchlist_id ?? null,
    start: request.start ?? "",
    end: request.end ?? "",
    cash: request.cash ?? INITIAL_FORM.cash,
    commissionPct: costs ? Number(costs.commission ?? 0) * 100 : INITIAL_FORM.commissionPct,
    commissionFixed: costs ? Number(costs.commission_fixed ?? 0) : 0,
    slippageBps: costs ? Number(costs.slippage_bps ?? 0) : 0,
    params: { ...(request.params ?? {}) },
    name: request.name ?? "",
    force: request.force ?? false,
  };
}

/** What the form's fields and its request follow from: the strategy chosen (or its default), the
 * dataset, the proposed name, the problems found before sending. */
export function useBacktestForm(form: FormState, datasets: Dataset[]) {
  const { t } = useTranslation("backtests");
  const watchlists = useWatchlists();
  const ready = datasets.filter((d) => d.status === "ready");
  // Defaults once the choices are known: the newest stored strategy, else the SMA-cross template; the sample dataset.
  const choice = useStrategyChoice(form.strategy, form.version, { preferStored: true });
  const datasetId = defaultDatasetId(ready, form.datasetId);
  const strategyName = choice.documentQuery.data?.name ?? "";
  const proposedName = defaultName(
    t,
    strategyName,
    form.universe === "symbols" ? form.symbols : [watchlists.data?.items.find((w) => w.watchlist_id === form.watchlistId)?.name ?? ""],
    form.start || null,
    form.end || null,
  );
  const localProblems = {
    symbols: form.universe === "symbols" && form.symbols.length === 0 ? t("form.needSymbols") : undefined,
    watchlist: form.universe === "watchlist" && !form.watchlistId ? t("form.needWatchlist") : undefined,
  };
  const badParameter = choice.parameters.some(([name, p]) => parameterProblem(p, form.params[name] ?? p.default) !== null);
  /** The request: the strategy's defaults for the parameters left alone, the proposed name unless `named` is false. */
  const toRequest = (named = true): BacktestRequest => {
    const params = { ...Object.fromEntries(choice.parameters.map(([name, p]) => [name, p.default])), ...form.params };
    const body = buildRequest({ ...form, strategy: choice.strategy, datasetId, params, name: form.name || (named ? proposedName : "") }, strategyName, t);
    if (!named && !form.name.trim()) delete body.name;
    if (choice.template && choice.document) body.strategy = choice.document as unknown as BacktestRequest["strategy"];
    return body;
  };
  return { choice, ready, datasetId, watchlists, proposedName, localProblems, badParameter, toRequest };
}

export type BacktestFormState = FormState;
type Derived = ReturnType<typeof useBacktestForm>;

/** The run form's fields, on the form's state: shared by the run form and the backtest request editor. */
export function BacktestFields({
  form,
  setForm,
  derived,
  at,
  checked,
}: {
  form: FormState;
  setForm: (update: (current: FormState) => FormState) => void;
  derived: Derived;
  at: (field: string) => string | undefined;
  checked: boolean;
}) {
  const { t } = useTranslation("backtests");
  const format = useFormat();
  const { choice, ready, datasetId, watchlists, proposedName, localProblems } = derived;
  const { parameters } = choice;
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((current) => ({ ...current, [key]: value }));
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        <StrategyVersionSelects
          ns="backtests"
          choice={choice}
          version={form.version}
          onStrategy={(value) => setForm((current) => ({ ...current, strategy: value, version: "", params: {} }))}
          onVersion={(value) => setForm((current) => ({ ...current, version: value, params: {} }))}
          strategyError={at("strategy_id") ?? at("strategy")}
          versionError={at("strategy_version")}
          versionNotes
        />
        <DatasetSelect ns="backtests" ready={ready} value={datasetId} onChange={(value) => set("datasetId", value)} error={at("dataset_id")} />
      </SimpleGrid>
      <Stack gap={6}>
        <SegmentedControl
          aria-label={t("form.universe")}
          value={form.universe}
          onChange={(value) => set("universe", value as FormState["universe"])}
          data={[
            { value: "symbols", label: t("form.symbols") },
            { value: "watchlist", label: t("form.watchlist") },
          ]}
          style={{ alignSelf: "flex-start" }}
        />
        {form.universe === "symbols" ? (
          <SymbolsInput
            ns="backtests"
            datasetId={datasetId}
            value={form.symbols}
            onChange={(value) => set("symbols", value)}
            error={at("symbols") ?? at("weights") ?? (checked ? localProblems.symbols : undefined)}
            maxValues={200}
          />
        ) : (
          <WatchlistSelect
            ns="backtests"
            watchlists={watchlists.data?.items}
            optionLabel={(w) => t("form.watchlistOption", { name: w.name, count: w.symbols.length })}
            value={form.watchlistId}
            onChange={(value) => set("watchlistId", value)}
            error={at("watchlist_id") ?? (checked ? localProblems.watchlist : undefined)}
          />
        )}
      </Stack>
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="sm">
        <TextInput
          type="date"
          label={t("form.start")}
          value={form.start}
          onChange={(e) => set("start", e.currentTarget.value)}
          error={at("start")}
          description={t("form.periodHint")}
        />
        <TextInput
          type="date"
          label={t("form.end")}
          value={form.end}
          onChange={(e) => set("end", e.currentTarget.value)}
          error={at("end")}
          description={t("form.periodHint")}
        />
        <NumberInput
          label={t("form.cash")}
          value={form.cash}
          onChange={(value) => set("cash", value)}
          min={0}
          thousandSeparator={format.lang.startsWith("fr") ? " " : ","}
          decimalSeparator={format.lang.startsWith("fr") ? "," : "."}
          required
          error={at("cash")}
        />
      </SimpleGrid>
      <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Text component="legend" fw={600} size="sm" mb={4}>
          {t("form.costs")}
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
          <NumberInput
            label={t("form.commission")}
            value={form.commissionPct}
            onChange={(value) => set("commissionPct", value)}
            min={0}
            max={99}
            step={0.05}
            decimalScale={4}
            suffix=" %"
            decimalSeparator={separators(format.lang).decimalSeparator}
            error={at("costs")}
          />
          <NumberInput
            label={t("form.commissionFixed")}
            value={form.commissionFixed}
            onChange={(value) => set("commissionFixed", value)}
            decimalSeparator={separators(format.lang).decimalSeparator}
            min={0}
            decimalScale={4}
          />
          <NumberInput
            label={t("form.slippage")}
            value={form.slippageBps}
            onChange={(value) => set("slippageBps", value)}
            decimalSeparator={separators(format.lang).decimalSeparator}
            min={0}
            max={9999}
            decimalScale={2}
          />
        </SimpleGrid>
      </fieldset>
      <StrategyParameters
        parameters={parameters}
        values={form.params}
        onChange={(name, value) => setForm((current) => ({ ...current, params: { ...current.params, [name]: value } }))}
        at={at}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          label={t("form.name")}
          value={form.name}
          placeholder={proposedName}
          onChange={(e) => set("name", e.currentTarget.value)}
          error={at("name")}
          description={t("form.nameHint")}
        />
        <Checkbox label={t("form.force")} checked={form.force} onChange={(e) => set("force", e.currentTarget.checked)} mt={{ base: 0, sm: 28 }} />
      </SimpleGrid>
    </>
  );
}

export function RunForm({ datasets, onSubmitted }: { datasets: Dataset[]; onSubmitted: (job: Job) => void }) {
  const { t } = useTranslation("backtests");
  const submit = useSubmitBacktest();
  const [form, setForm] = useState<FormState>(INITIAL_FORM);
  const { prompt, release } = useUnsavedChangesGuard(useChanged(form));
  const derived = useBacktestForm(form, datasets);
  const { located, at } = useLocatedProblems(submit.error, fieldOf, form.symbols);
  const [checked, setChecked] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (derived.localProblems.symbols || derived.localProblems.watchlist || derived.badParameter) return;
    submit.mutate(derived.toRequest(), { onSuccess: (made) => (release(), onSubmitted(made)) });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby="run-form-hint">
      {prompt}
      <Stack gap="md">
        <Text size="sm" c="dimmed" id="run-form-hint">
          {t("form.hint")}
        </Text>
        <BacktestFields form={form} setForm={setForm} derived={derived} at={at} checked={checked} />
        <SubmitAlerts error={submit.error} located={located} ns="backtests" />
        <Group>
          <NeedsRole role="researcher">
            <Button type="submit" loading={submit.isPending} disabled={!derived.choice.strategy || !derived.datasetId}>
              {t("form.submit")}
            </Button>
          </NeedsRole>
        </Group>
      </Stack>
    </form>
  );
}

/** One parameter of the strategy: its choices, or a number within its range (whole for an int). */
/** A strategy's parameters, each with its range and default or its choices, and the server's
 * messages at them (`params.fast`, `params`): the backtest form's, and the pipeline start form's. */
export function StrategyParameters({
  parameters,
  values,
  onChange,
  at,
}: {
  parameters: [string, StrategyParameter][];
  values: Record<string, number | string>;
  onChange: (name: string, value: number | string) => void;
  at: (field: string) => string | undefined;
}) {
  const { t } = useTranslation("backtests");
  if (parameters.length === 0) return null;
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Text component="legend" fw={600} size="sm" mb={4}>
        {t("form.parameters")}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="sm">
        {parameters.map(([name, parameter]) => (
          <ParameterInput
            key={name}
            name={name}
            parameter={parameter}
            value={values[name] ?? parameter.default}
            onChange={(value) => onChange(name, value)}
            error={at(`params.${name}`)}
          />
        ))}
      </SimpleGrid>
      {at("params") && (
        <Text size="sm" c="var(--tw-error, var(--mantine-color-red-8))" mt={4} role="alert">
          {at("params")}
        </Text>
      )}
    </fieldset>
  );
}

function ParameterInput({
  name,
  parameter,
  value,
  onChange,
  error,
}: {
  name: string;
  parameter: StrategyParameter;
  value: number | string;
  onChange: (value: number | string) => void;
  error?: string;
}) {
  const { t } = useTranslation("backtests");
  const format = useFormat();
  const integer = parameter.type !== "float";
  const problem = parameterProblem(parameter, value);
  const range =
    parameter.min !== null && parameter.min !== undefined && parameter.max !== null && parameter.max !== undefined
      ? t("form.range", { min: format.number(parameter.min, 6), max: format.number(parameter.max, 6), default: format.number(parameter.default, 6) })
      : t("form.defaultOnly", { default: format.number(parameter.default, 6) });
  if (parameter.choices?.length) {
    return (
      <Select
        label={name}
        description={parameter.description || t("form.choices", { default: format.number(parameter.default, 6) })}
        data={parameter.choices.map((choice) => ({ value: String(choice), label: format.number(choice, 6) }))}
        value={value === "" ? null : String(value)}
        onChange={(next) => onChange(next === null ? "" : Number(next))}
        allowDeselect={false}
        error={error}
      />
    );
  }
  return (
    <NumberInput
      label={name}
      description={parameter.description ? `${parameter.description} · ${range}` : range}
      value={value}
      onChange={onChange}
      min={parameter.min ?? undefined}
      max={parameter.max ?? undefined}
      step={parameter.step ?? (integer ? 1 : 0.1)}
      allowDecimal={!integer}
      decimalSeparator={separators(format.lang).decimalSeparator}
      clampBehavior="none"
      error={
        error ?? (problem ? t(`form.parameterProblem.${problem}`, { min: format.number(parameter.min, 6), max: format.number(parameter.max, 6) }) : undefined)
      }
    />
  );
}
