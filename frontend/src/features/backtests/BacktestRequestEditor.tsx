/** A backtest request edited with the run form's fields (a workflow step's, a schedule's target):
 * `value` in, every change out through `onChange`, no submit of its own. The server's messages
 * come in by the request's own paths (`params.fast`, `dataset_id`) and land at their fields. */
import { Stack } from "@mantine/core";
import { useState } from "react";
import { useDatasets } from "../datasets/useDatasets";
import { type RequestEditorProps, UnplacedErrors, useLocatedErrors, useSendWhenEdited } from "../jobs/requestEditor";
import type { BacktestRequest } from "./api";
import { BacktestFields, type BacktestFormState, fieldOf, fromRequest, useBacktestForm } from "./RunForm";

export function BacktestRequestEditor(props: RequestEditorProps) {
  const { value, errors } = props;
  const datasets = useDatasets();
  const [form, setForm] = useState<BacktestFormState>(() => fromRequest(value as Partial<BacktestRequest>));
  const [initial, setInitial] = useState(() => JSON.stringify(form));
  const derived = useBacktestForm(form, datasets.data?.items ?? []);
  // A saved inline document (how the form sends a template) shows as the template of its name; one
  // that matches none is kept as it is until another strategy is chosen.
  const [inline] = useState(() => (value.strategy_id ? null : ((value.strategy as { name?: string } | undefined) ?? null)));
  const named = inline && form.strategy === null ? derived.choice.templateItems.find((x) => x.name === inline.name) : undefined;
  if (named) {
    const shown = { ...form, strategy: `t:${named.template}` };
    setForm(shown);
    setInitial(JSON.stringify(shown));
  }
  const { at, rest } = useLocatedErrors(errors, fieldOf);

  // A request made in the form is sent out; one only shown (a saved step untouched) stays as it was,
  // unless it lacks what the form fills in by default (a new step: the strategy, the dataset).
  const built = derived.toRequest(false);
  if (inline && form.strategy === null) {
    delete built.strategy_id;
    delete built.strategy_version;
    built.strategy = inline as BacktestRequest["strategy"];
  }
  const request = JSON.stringify(built);
  const changed = JSON.stringify(form) !== initial;
  const incomplete = (!value.strategy_id && !value.strategy) || !value.dataset_id;
  useSendWhenEdited(props, request, changed, incomplete);

  return (
    <Stack gap="md">
      <BacktestFields form={form} setForm={setForm} derived={derived} at={at} checked={false} />
      <UnplacedErrors messages={rest} />
    </Stack>
  );
}

export default BacktestRequestEditor;
