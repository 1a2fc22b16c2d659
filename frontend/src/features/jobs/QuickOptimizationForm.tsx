import { Alert, Badge, Button, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem, type Dataset, type OptimizationRequest, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";
import { useErrorMessage } from "../../app/Page";
import { rememberJob } from "./useJobs";
import { NeedsRole } from "../accounts/NeedsRole";

const TEMPLATE = "sma_cross";
const WINDOWS = ["fast", "slow"] as const;
const BOUNDS = ["min", "max", "step"] as const;
type Window = (typeof WINDOWS)[number];
type Bound = (typeof BOUNDS)[number];
type Ranges = Record<Window, Record<Bound, string>>;

/** The form's fields that a problem's `loc` (after "body") can point at. */
type Field = "strategy" | "dataset_id" | "symbols" | "space" | "space.fast" | "space.slow" | "name";
type FieldErrors = Partial<Record<Field, string[]>>;

const INITIAL_RANGES: Ranges = { fast: { min: "5", max: "20", step: "5" }, slow: { min: "30", max: "60", step: "10" } };

/** An SMA-cross sweep (the `sma_cross` template inline, or a stored strategy) over a few symbols of
 * a dataset, ranked by Sharpe with the screening metrics. Every problem the API names appears next
 * to its field. */
export function QuickOptimizationForm({ datasets }: { datasets: Dataset[] }) {
  const { t } = useTranslation("jobs");
  const { t: common } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const [strategyId, setStrategyId] = useState("");
  const [datasetId, setDatasetId] = useState("");
  const [symbols, setSymbols] = useState("");
  const [name, setName] = useState(() => t("quick.defaultName"));
  const [ranges, setRanges] = useState<Ranges>(INITIAL_RANGES);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const dataset = datasets.find((d) => d.dataset_id === datasetId) ?? datasets.find((d) => d.source === "sample") ?? datasets[0];
  const listed = symbols
    .split(",")
    .map((symbol) => symbol.trim().toUpperCase())
    .filter(Boolean);

  const submit = useMutation({
    mutationFn: async () => {
      let source: Pick<OptimizationRequest, "strategy_id" | "strategy">;
      if (strategyId.trim()) {
        source = { strategy_id: strategyId.trim() };
      } else {
        const template = await queryClient.fetchQuery({
          queryKey: queryKeys.strategies.template(TEMPLATE),
          queryFn: () => unwrap(api.GET("/strategies/templates/{name}", { params: { path: { name: TEMPLATE } } })),
          staleTime: Infinity,
        });
        source = { strategy: template.document as OptimizationRequest["strategy"] };
      }
      const space = Object.fromEntries(WINDOWS.map((w) => [w, { min: Number(ranges[w].min), max: Number(ranges[w].max), step: Number(ranges[w].step) }]));
      const request = {
        ...source,
        dataset_id: dataset?.dataset_id ?? "",
        symbols: listed,
        space,
        objective: { metric: "sharpe", direction: "maximize" },
        metrics: "screening",
        top_n: 20,
        name: name.trim() || undefined,
      } as OptimizationRequest;
      return unwrap(api.POST("/optimizations", { body: request }));
    },
    // Shown at once from the answer; the lists' next refresh brings the server's copy.
    onSuccess: (job) => rememberJob(queryClient, job),
    onError: (error) => {
      const { fields, rest } = error instanceof ApiProblem ? fieldErrors(error, listed) : { fields: {}, rest: [] };
      setErrors(fields);
      setFormError([errorMessage(error), ...rest].join(" · "));
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    // An empty number input reads as "", which Number() would send as 0: ask for it here instead.
    const blank: FieldErrors = {};
    for (const w of WINDOWS) {
      const missing = BOUNDS.filter((b) => !Number.isFinite(parseFloat(ranges[w][b])));
      if (missing.length) blank[`space.${w}`] = missing.map((b) => t("quick.enterNumber", { field: boundLabel(w, b) }));
    }
    if (Object.keys(blank).length) {
      setErrors(blank);
      return;
    }
    submit.mutate();
  };

  const boundLabel = (w: Window, bound: Bound) => t("quick.bound", { window: w, bound: t(`quick.bounds.${bound}`) });
  const setBound = (w: Window, bound: Bound, value: string) => setRanges((current) => ({ ...current, [w]: { ...current[w], [bound]: value } }));
  const join = (messages?: string[]) => (messages?.length ? messages.join("; ") : undefined);

  return (
    <form onSubmit={onSubmit} aria-labelledby="qo-title" noValidate>
      <Stack gap="sm" mb="md">
        <Title order={3} fz="h5" id="qo-title">
          {t("quick.title")}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
          <TextInput
            id="qo-strategy"
            label={t("quick.strategy")}
            description={t("quick.strategyHint")}
            placeholder={t("quick.strategyPlaceholder")}
            value={strategyId}
            onChange={(e) => setStrategyId(e.currentTarget.value)}
            error={join(errors.strategy)}
          />
          <NativeSelect
            id="qo-dataset"
            label={t("quick.dataset")}
            description={
              datasets.length ? (
                dataset?.synthetic ? (
                  <Badge component="span" variant="light" color="yellow" size="sm">
                    {common("synthetic")}
                  </Badge>
                ) : undefined
              ) : (
                t("quick.noDatasets")
              )
            }
            value={dataset?.dataset_id ?? ""}
            onChange={(e) => setDatasetId(e.currentTarget.value)}
            error={join(errors.dataset_id)}
            data={datasets.map((d) => ({ value: d.dataset_id, label: d.name }))}
          />
          <TextInput
            id="qo-symbols"
            label={t("quick.symbols")}
            description={t("quick.symbolsHint")}
            value={symbols}
            onChange={(e) => setSymbols(e.currentTarget.value)}
            error={join(errors.symbols)}
          />
          <TextInput id="qo-name" label={t("quick.name")} value={name} onChange={(e) => setName(e.currentTarget.value)} error={join(errors.name)} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {WINDOWS.map((w) => (
            <Fieldset key={w} legend={t("quick.window", { window: w })} aria-describedby={errors[`space.${w}`] ? `qo-${w}-error` : undefined} p="xs">
              <Group gap="xs" grow wrap="nowrap">
                {BOUNDS.map((bound) => (
                  <TextInput
                    key={bound}
                    type="number"
                    inputMode="decimal"
                    label={boundLabel(w, bound)}
                    value={ranges[w][bound]}
                    onChange={(e) => setBound(w, bound, e.currentTarget.value)}
                    error={errors[`space.${w}`] ? true : undefined}
                    miw={0}
                  />
                ))}
              </Group>
              {errors[`space.${w}`] && (
                <Text id={`qo-${w}-error`} c="var(--tw-error)" size="sm" mt={4}>
                  {join(errors[`space.${w}`])}
                </Text>
              )}
            </Fieldset>
          ))}
        </SimpleGrid>
        {errors.space && (
          <Text id="qo-space-error" c="var(--tw-error)" size="sm">
            {join(errors.space)}
          </Text>
        )}
        <Group gap="sm">
          <NeedsRole role="researcher">
            <Button type="submit" loading={submit.isPending}>
              {t("quick.submit")}
            </Button>
          </NeedsRole>
          <Text size="sm" c="dimmed">
            {t("quick.ranking")}
          </Text>
        </Group>
        {formError && (
          <Alert color="red" variant="light" role="alert" p="xs">
            {formError}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

/** Sort a problem's `errors[]` onto the form's fields by `loc`; what fits no field is returned as
 * text with its location, so no problem goes unshown. */
function fieldErrors(problem: ApiProblem, symbols: string[]): { fields: FieldErrors; rest: string[] } {
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const error of problem.errors) {
    const [where, ...path] = error.loc;
    const field = where === "body" ? fieldOf(path) : null;
    if (!field) {
      rest.push(`${error.loc.join(".")}: ${error.msg}`);
      continue;
    }
    let message = error.msg;
    const index = path[1];
    if (field === "symbols" && typeof index === "number" && symbols[index] && !message.includes(symbols[index])) {
      message = `${symbols[index]}: ${message}`;
    }
    (fields[field] ??= []).push(message);
  }
  return { fields, rest };
}

function fieldOf(path: (string | number)[]): Field | null {
  const [first, second] = path;
  if (first === "space" && (second === "fast" || second === "slow")) return `space.${second}`;
  if (first === "strategy" || first === "strategy_id") return "strategy";
  if (first === "dataset_id" || first === "symbols" || first === "space" || first === "name") return first;
  return null;
}
