import { Alert, Button, Checkbox, Group, NativeSelect, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ApiProblem, type Dataset, type OptimizationRequest } from "../../api/client";
import { useErrorMessage } from "../../app/Page";
import { useChanged, useUnsavedChangesGuard } from "../../app/useUnsavedChangesGuard";
import { EstimatePanel } from "./EstimatePanel";
import { METRIC_IDS, SCREENING } from "./metrics";
import { ParamFieldEditor } from "./ParamField";
import { buildSpace, describeField, fieldOfEntry, initialField, type ParamField, type ParamSpec } from "./space";
import { useEstimate, useStoredStrategy, useStrategyList, useSubmitOptimization, useTemplate, useTemplates, useWatchlists } from "./useOptimizations";
import { NeedsRole } from "../accounts/NeedsRole";

type Level = "full" | "screening";
type Direction = "maximize" | "minimize";
const NAME_MAX = 200;

/** Split "ZENX, qubit ," into ["ZENX", "QUBIT"]. */
export function parseSymbols(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

/** What the space editor holds: every choice as typed, and the parameters' fields (`fieldsOf`: the
 * strategy and version they were made for). */
export interface OptState {
  source: string;
  version: string;
  datasetId: string;
  universe: "symbols" | "watchlist";
  symbols: string;
  watchlistId: string;
  start: string;
  end: string;
  fields: Record<string, ParamField>;
  fieldsOf: string | null;
  metric: string;
  direction: Direction;
  level: Level;
  minTrades: string;
  walk: boolean;
  train: string;
  test: string;
  stepBars: string;
  name: string;
}

export const INITIAL_OPT: OptState = {
  source: "template:sma_cross",
  version: "",
  datasetId: "",
  universe: "symbols",
  symbols: "",
  watchlistId: "",
  start: "",
  end: "",
  fields: {},
  fieldsOf: null,
  metric: "sharpe",
  direction: "maximize",
  level: "full",
  minTrades: "0",
  walk: false,
  train: "252",
  test: "63",
  stepBars: "",
  name: "",
};

const keyOf = (source: string, version: string) => `${source}@${version}`;

/** The editor holding a request (a workflow step's, a schedule's target): its space's entries as
 * fields (the strategy's own ranges for the parameters it leaves out); an inline strategy document
 * shows as the SMA-cross template (the request editor keeps the document until the strategy is changed). */
export function fromOptimizationRequest(request: Partial<OptimizationRequest>): OptState {
  const source = request.strategy_id ? `stored:${request.strategy_id}` : INITIAL_OPT.source;
  const version = request.strategy_version ? String(request.strategy_version) : "";
  const space = (request.space ?? {}) as Record<string, Parameters<typeof fieldOfEntry>[0]>;
  const walk = request.walk_forward ?? null;
  return {
    ...INITIAL_OPT,
    source,
    version,
    datasetId: request.dataset_id ?? "",
    universe: request.watchlist_id ? "watchlist" : "symbols",
    symbols: (request.symbols ?? []).join(", "),
    watchlistId: request.watchlist_id ?? "",
    start: request.start ?? "",
    end: request.end ?? "",
    fields: Object.fromEntries(Object.entries(space).map(([name, entry]) => [name, fieldOfEntry(entry)])),
    fieldsOf: keyOf(source, version),
    metric: request.objective?.metric ?? INITIAL_OPT.metric,
    direction: (request.objective?.direction as Direction | undefined) ?? INITIAL_OPT.direction,
    level: (request.metrics as Level | undefined) ?? INITIAL_OPT.level,
    minTrades: String(request.min_trades ?? 0),
    walk: walk !== null,
    train: walk ? String(walk.train_bars) : INITIAL_OPT.train,
    test: walk ? String(walk.test_bars) : INITIAL_OPT.test,
    stepBars: walk?.step_bars ? String(walk.step_bars) : "",
    name: request.name ?? "",
  };
}

/** What the fields and the request follow from: the strategy's document and parameters, the space and
 * its problems, the objective, the proposed name, and the request (null while something is missing). */
export function useOptimizationForm(state: OptState, setState: (update: (current: OptState) => OptState) => void, datasets: Dataset[], named = true) {
  const { t } = useTranslation("optimizations");
  const templates = useTemplates();
  const stored = useStrategyList();
  const watchlists = useWatchlists();
  const {
    source,
    version,
    datasetId,
    universe,
    symbols,
    watchlistId,
    start,
    end,
    fields,
    metric,
    direction,
    level,
    minTrades,
    walk,
    train,
    test,
    stepBars,
    name,
  } = state;
  const [kind, ref] = source.split(/:(.*)/s) as ["template" | "stored", string];
  const template = useTemplate(kind === "template" ? ref : null);
  const storedDoc = useStoredStrategy(kind === "stored" ? ref : null, version ? Number(version) : null);
  const document = kind === "template" ? template.data?.document : storedDoc.data?.document;
  const strategyName = kind === "template" ? (template.data?.name ?? ref) : (storedDoc.data?.name ?? ref);
  const latestVersion = kind === "stored" ? (stored.data?.items.find((s) => s.strategy_id === ref)?.latest_version ?? 0) : 0;
  const params = useMemo(() => (document?.parameters ?? {}) as Record<string, ParamSpec>, [document]);
  const docKey = keyOf(source, version);

  // A new strategy (or version) brings its own parameters and their ranges.
  // (State adjusted while rendering, as React recommends over an effect.)
  const pristine = useMemo(() => Object.fromEntries(Object.entries(params).map(([n, p]) => [n, initialField(p)])), [params]);
  if (document && state.fieldsOf !== docKey) setState((current) => ({ ...current, fields: pristine, fieldsOf: docKey }));
  const rangesEdited = state.fieldsOf === docKey && JSON.stringify({ ...pristine, ...fields }) !== JSON.stringify(pristine);

  const dataset = datasets.find((d) => d.dataset_id === datasetId) ?? datasets.find((d) => d.source === "sample") ?? datasets[0];
  const listed = parseSymbols(symbols);
  const space = buildSpace(params, fields);
  const metrics = level === "screening" ? SCREENING : METRIC_IDS;
  const objective = (metrics as readonly string[]).includes(metric) ? metric : "sharpe";
  const defaultName = t("form.defaultName", {
    strategy: strategyName,
    space: Object.keys(params)
      .filter((n) => fields[n] ?? pristine[n])
      .map((n) => `${n} ${describeField(fields[n] ?? pristine[n])}`)
      .join(" × "),
    direction: t(`form.directionShort.${direction}`),
    metric: t(`metrics.${objective}`),
  }).slice(0, NAME_MAX);

  const request: OptimizationRequest | null =
    document && state.fieldsOf === docKey && space.valid && dataset && (universe === "symbols" ? listed.length > 0 : Boolean(watchlistId))
      ? ({
          ...(kind === "template" ? { strategy: document } : { strategy_id: ref, ...(version ? { strategy_version: Number(version) } : {}) }),
          dataset_id: dataset.dataset_id,
          ...(universe === "symbols" ? { symbols: listed } : { watchlist_id: watchlistId }),
          ...(start ? { start } : {}),
          ...(end ? { end } : {}),
          space: space.space,
          objective: { metric: objective, direction },
          metrics: level,
          min_trades: Number(minTrades) || 0,
          ...(walk
            ? { walk_forward: { train_bars: Number(train) || 0, test_bars: Number(test) || 0, ...(stepBars ? { step_bars: Number(stepBars) || 0 } : {}) } }
            : {}),
          ...(name.trim() || named ? { name: name.trim() || defaultName } : {}),
        } as OptimizationRequest)
      : null;

  const strategyData = [
    {
      group: t("form.templates"),
      items: (templates.data?.items ?? [{ template: "sma_cross", name: "SMA cross" }]).map((tpl) => ({ value: `template:${tpl.template}`, label: tpl.name })),
    },
    ...(stored.data?.items.length
      ? [{ group: t("form.stored"), items: stored.data.items.map((s) => ({ value: `stored:${s.strategy_id}`, label: s.name })) }]
      : []),
  ];
  return {
    kind,
    document,
    params,
    pristine,
    docKey,
    rangesEdited,
    dataset,
    datasets,
    listed,
    space,
    metrics,
    objective,
    defaultName,
    request,
    strategyData,
    latestVersion,
    watchlists,
  };
}

type Derived = ReturnType<typeof useOptimizationForm>;

/** The space editor's fields, on its state: shared by the optimization form and the optimization
 * request editor. `at(...path)` gives the server's messages at a body path; `symbolErrors` and
 * `spaceErrors` those about the symbols and the space as a whole. */
export function OptimizationFields({
  state,
  setState,
  derived,
  at,
  symbolErrors,
  spaceErrors,
  submitted,
}: {
  state: OptState;
  setState: (update: (current: OptState) => OptState) => void;
  derived: Derived;
  at: (...field: (string | number)[]) => string[];
  symbolErrors: string[];
  spaceErrors: string[];
  submitted: boolean;
}) {
  const { t } = useTranslation("optimizations");
  // Ids unique per instance: a workflow holds several of these forms, one per step.
  const uid = useId();
  const { source, version, universe, symbols, watchlistId, start, end, fields, direction, level, minTrades, walk, train, test, stepBars, name } = state;
  const {
    kind,
    document,
    params,
    pristine,
    docKey,
    dataset,
    datasets,
    listed,
    space,
    metrics,
    objective,
    defaultName,
    strategyData,
    latestVersion,
    watchlists,
  } = derived;
  const setter =
    <K extends keyof OptState>(key: K) =>
    (value: OptState[K]) =>
      setState((current) => ({ ...current, [key]: value }));
  const [setSource, setVersion, setDatasetId, setUniverse, setSymbols, setWatchlistId, setStart, setEnd] = [
    setter("source"),
    setter("version"),
    setter("datasetId"),
    setter("universe"),
    setter("symbols"),
    setter("watchlistId"),
    setter("start"),
    setter("end"),
  ];
  const [setMetric, setDirection, setLevel, setMinTrades, setWalk, setTrain, setTest, setStepBars, setName] = [
    setter("metric"),
    setter("direction"),
    setter("level"),
    setter("minTrades"),
    setter("walk"),
    setter("train"),
    setter("test"),
    setter("stepBars"),
    setter("name"),
  ];
  const setFields = (update: (current: Record<string, ParamField>) => Record<string, ParamField>) =>
    setState((current) => ({ ...current, fields: update(current.fields) }));
  const joined = (messages: string[]) => (messages.length ? messages.join("; ") : undefined);
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" verticalSpacing="xs">
        <NativeSelect
          id={`${uid}-strategy`}
          label={t("form.strategy")}
          value={source}
          onChange={(e) => {
            setSource(e.currentTarget.value);
            setVersion("");
          }}
          data={strategyData}
          error={joined([...at("strategy"), ...at("strategy_id")])}
        />
        {kind === "stored" && (
          <NativeSelect
            id={`${uid}-version`}
            label={t("form.version")}
            value={version}
            onChange={(e) => setVersion(e.currentTarget.value)}
            data={[
              { value: "", label: t("form.latest") },
              ...Array.from({ length: latestVersion }, (_, i) => latestVersion - i).map((v) => ({ value: String(v), label: `v${v}` })),
            ]}
            error={joined(at("strategy_version"))}
          />
        )}
        <NativeSelect
          id={`${uid}-dataset`}
          label={t("form.dataset")}
          description={datasets.length ? undefined : t("form.noDatasets")}
          value={dataset?.dataset_id ?? ""}
          onChange={(e) => setDatasetId(e.currentTarget.value)}
          data={datasets.map((d) => ({ value: d.dataset_id, label: d.name }))}
          error={joined(at("dataset_id"))}
        />
      </SimpleGrid>
      <Stack gap={4}>
        <Text size="sm" fw={500} id={`${uid}-universe-label`}>
          {t("form.universe")}
        </Text>
        <SegmentedControl
          aria-labelledby={`${uid}-universe-label`}
          value={universe}
          onChange={(value) => setUniverse(value as "symbols" | "watchlist")}
          data={[
            { value: "symbols", label: t("form.bySymbols") },
            { value: "watchlist", label: t("form.byWatchlist") },
          ]}
          style={{ alignSelf: "flex-start" }}
        />
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" verticalSpacing="xs">
        {universe === "symbols" ? (
          <TextInput
            id={`${uid}-symbols`}
            label={t("form.symbols")}
            description={t("form.symbolsHint")}
            value={symbols}
            onChange={(e) => setSymbols(e.currentTarget.value)}
            error={joined(symbolErrors) ?? (submitted && !listed.length ? t("form.problems.empty") : undefined)}
          />
        ) : (
          <NativeSelect
            id={`${uid}-watchlist`}
            label={t("form.watchlist")}
            description={watchlists.data?.items.length ? undefined : t("form.noWatchlists")}
            value={watchlistId}
            onChange={(e) => setWatchlistId(e.currentTarget.value)}
            data={[{ value: "", label: "—" }, ...(watchlists.data?.items ?? []).map((w) => ({ value: w.watchlist_id, label: w.name }))]}
            error={joined(at("watchlist_id")) ?? (submitted && !watchlistId ? t("form.problems.empty") : undefined)}
          />
        )}
        <TextInput
          id={`${uid}-start`}
          type="date"
          label={t("form.start")}
          description={t("form.periodHint")}
          value={start}
          onChange={(e) => setStart(e.currentTarget.value)}
          error={joined(at("start"))}
        />
        <TextInput
          id={`${uid}-end`}
          type="date"
          label={t("form.end")}
          description={t("form.periodHint")}
          value={end}
          onChange={(e) => setEnd(e.currentTarget.value)}
          error={joined(at("end"))}
        />
      </SimpleGrid>

      <Stack gap="xs" component="section" aria-labelledby={`${uid}-space-title`}>
        <Title order={3} fz="h5" id={`${uid}-space-title`}>
          {t("form.parameters")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("form.parametersHint")}
        </Text>
        {document && Object.keys(params).length === 0 && (
          <Text size="sm" c="dimmed">
            {t("form.noParameters")}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          {Object.entries(params).map(([param, spec]) =>
            (fields[param] ?? pristine[param]) ? (
              <ParamFieldEditor
                key={`${docKey}-${param}`}
                name={param}
                spec={spec}
                field={fields[param] ?? pristine[param]}
                problems={space.problems[param] ?? []}
                serverErrors={at("space", param)}
                onChange={(field) => setFields((current) => ({ ...current, [param]: field }))}
              />
            ) : null,
          )}
        </SimpleGrid>
        {spaceErrors.length > 0 && (
          <Text id={`${uid}-space-error`} c="var(--tw-error)" size="sm" role="alert">
            {spaceErrors.join("; ")}
          </Text>
        )}
      </Stack>

      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
        <NativeSelect
          id={`${uid}-metric`}
          label={t("form.objective")}
          value={objective}
          onChange={(e) => setMetric(e.currentTarget.value)}
          data={metrics.map((m) => ({ value: m, label: t(`metrics.${m}`) }))}
          error={joined(at("objective"))}
        />
        <NativeSelect
          id={`${uid}-direction`}
          label={t("form.direction")}
          value={direction}
          onChange={(e) => setDirection(e.currentTarget.value as Direction)}
          data={(["maximize", "minimize"] as const).map((d) => ({ value: d, label: t(`form.directions.${d}`) }))}
        />
        <NativeSelect
          id={`${uid}-level`}
          label={t("form.metricsLevel")}
          value={level}
          onChange={(e) => setLevel(e.currentTarget.value as Level)}
          data={(["full", "screening"] as const).map((l) => ({ value: l, label: t(`form.levels.${l}`) }))}
        />
        <TextInput
          id={`${uid}-min-trades`}
          label={t("form.minTrades")}
          inputMode="numeric"
          value={minTrades}
          onChange={(e) => setMinTrades(e.currentTarget.value)}
          error={joined(at("min_trades"))}
        />
      </SimpleGrid>
      <Checkbox
        id={`${uid}-walk`}
        label={t("form.walkForward")}
        description={t("form.walkForwardHint")}
        checked={walk}
        onChange={(e) => setWalk(e.currentTarget.checked)}
      />
      {walk && (
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" verticalSpacing="xs">
          <TextInput
            id={`${uid}-train`}
            label={t("form.trainBars")}
            inputMode="numeric"
            value={train}
            onChange={(e) => setTrain(e.currentTarget.value)}
            error={joined(at("walk_forward", "train_bars"))}
          />
          <TextInput
            id={`${uid}-test`}
            label={t("form.testBars")}
            inputMode="numeric"
            value={test}
            onChange={(e) => setTest(e.currentTarget.value)}
            error={joined(at("walk_forward", "test_bars"))}
          />
          <TextInput
            id={`${uid}-step-bars`}
            label={t("form.stepBars")}
            description={t("form.stepBarsHint")}
            inputMode="numeric"
            value={stepBars}
            onChange={(e) => setStepBars(e.currentTarget.value)}
            error={joined(at("walk_forward", "step_bars"))}
          />
        </SimpleGrid>
      )}
      <TextInput
        id={`${uid}-name`}
        label={t("form.name")}
        description={t("form.nameHint", { name: defaultName })}
        value={name}
        maxLength={NAME_MAX}
        onChange={(e) => setName(e.currentTarget.value)}
        error={joined(at("name"))}
      />
    </>
  );
}

/** The parameter-space editor: strategy (and version), dataset, symbols or watchlist, period, each
 * parameter's range with its allowed bounds, objective, minimum trades and walk-forward; the estimate
 * follows as you type; submitting opens the new job's page with its live progress. */
export function OptimizationForm({ datasets }: { datasets: Dataset[] }) {
  const { t } = useTranslation("optimizations");
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const [state, setState] = useState<OptState>(INITIAL_OPT);
  const [submitted, setSubmitted] = useState(false);
  const derived = useOptimizationForm(state, setState, datasets);
  const { request, listed } = derived;
  // Typed work: any choice changed, or a range edited (a strategy's own ranges come pre-filled).
  const { fields: _fields, fieldsOf: _fieldsOf, ...choices } = state;
  const { prompt, release } = useUnsavedChangesGuard(useChanged(choices) || derived.rangesEdited);

  const estimate = useEstimate(request);
  const submit = useSubmitOptimization();
  // The server's problems: the submission's when it failed, else the estimate's (the same checks).
  const problem = [submit.error, estimate.error].find((e): e is ApiProblem => e instanceof ApiProblem) ?? null;
  const at = (...field: (string | number)[]) => problem?.at(...field) ?? [];
  const symbolErrors = (problem?.errors ?? [])
    .filter((e) => e.loc[0] === "body" && e.loc[1] === "symbols")
    .map((e) => (typeof e.loc[2] === "number" && listed[e.loc[2]] && !e.msg.includes(listed[e.loc[2]]) ? `${listed[e.loc[2]]}: ${e.msg}` : e.msg));
  const spaceErrors = (problem?.errors ?? []).filter((e) => e.loc[0] === "body" && e.loc[1] === "space" && e.loc.length === 2).map((e) => e.msg);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!request) {
      const first = window.document.querySelector<HTMLElement>('form[aria-labelledby="opt-form-title"] [aria-invalid="true"]');
      first?.focus();
      return;
    }
    submit.mutate(request, { onSuccess: (job) => (release(), void navigate(`/optimizations/${job.job_id}`)) });
  };

  return (
    <Paper p="md" component="section" aria-labelledby="opt-form-title">
      {prompt}
      <form onSubmit={onSubmit} aria-labelledby="opt-form-title" noValidate>
        <Stack gap="sm">
          <Title order={2} fz="h4" id="opt-form-title">
            {t("form.title")}
          </Title>
          <OptimizationFields
            state={state}
            setState={setState}
            derived={derived}
            at={at}
            symbolErrors={symbolErrors}
            spaceErrors={spaceErrors}
            submitted={submitted}
          />
          <EstimatePanel estimate={estimate.data ?? null} pending={estimate.pending || estimate.isFetching} error={estimate.error} ready={request !== null} />
          <Group gap="sm">
            <NeedsRole role="researcher">
              <Button type="submit" loading={submit.isPending} disabled={estimate.data ? !estimate.data.within_limit && !estimate.pending : false}>
                {t("form.submit")}
              </Button>
            </NeedsRole>
            {submitted && !request && (
              <Text size="sm" c="var(--tw-error)" role="alert">
                {t("form.fixProblems")}
              </Text>
            )}
          </Group>
          {submit.error && !(submit.error instanceof ApiProblem && submit.error.errors.length) ? (
            <Alert color="red" variant="light" role="alert" p="xs">
              {errorMessage(submit.error)}
            </Alert>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}
