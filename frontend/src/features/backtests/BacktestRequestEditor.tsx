/** A backtest request edited with the run form's fields (a workflow step's, a schedule's target):
 * `value` in, every change out through `onChange`, no submit of its own. The server's messages
 * come in by the request's own paths (`params.fast`, `dataset_id`) and land at their fields. */
import { Stack, Text } from "@mantine/core";
import { useEffect, useMemo, useState } from "react";
import { useDatasets } from "../datasets/useDatasets";
import type { RequestEditorProps } from "../jobs/requestEditor";
import type { BacktestRequest } from "./api";
import { BacktestFields, type BacktestFormState, fieldOf, fromRequest, useBacktestForm } from "./RunForm";

export function BacktestRequestEditor({ value, onChange, errors }: RequestEditorProps) {
  const datasets = useDatasets();
  const [form, setForm] = useState<BacktestFormState>(() => fromRequest(value as Partial<BacktestRequest>));
  const [initial] = useState(() => JSON.stringify(form));
  const derived = useBacktestForm(form, datasets.data?.items ?? []);
  const { out, rest } = useMemo(() => locate(errors), [errors]);
  const at = (field: string) => (out[field]?.length ? out[field].join(" ") : undefined);

  // A request made in the form is sent out; one only shown (a saved step untouched) stays as it was,
  // unless it lacks what the form fills in by default (a new step: the strategy, the dataset).
  const request = JSON.stringify(derived.toRequest(false));
  const changed = JSON.stringify(form) !== initial;
  const incomplete = (!value.strategy_id && !value.strategy) || !value.dataset_id;
  useEffect(() => {
    if ((changed || incomplete) && request !== JSON.stringify(value)) onChange(JSON.parse(request) as Record<string, unknown>);
  }, [request, changed, incomplete, value, onChange]);

  return (
    <Stack gap="md">
      <BacktestFields form={form} setForm={setForm} derived={derived} at={at} checked={false} />
      {rest.map((text) => (
        <Text key={text} size="sm" c="red" role="alert">
          {text}
        </Text>
      ))}
    </Stack>
  );
}

function locate(errors: Record<string, string[]>) {
  const out: Record<string, string[]> = {};
  const rest: string[] = [];
  for (const [path, list] of Object.entries(errors)) {
    const field = fieldOf(path);
    if (field) (out[field] ??= []).push(...list);
    else rest.push(`${path || "request"}: ${list.join(" ")}`);
  }
  return { out, rest };
}

export default BacktestRequestEditor;
