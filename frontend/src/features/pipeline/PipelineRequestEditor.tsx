/** A pipeline-run request edited with the start form's fields (a workflow step's, a schedule's
 * target): `value` in, every change out through `onChange`, no submit of its own; the server's
 * messages by the request's paths (`universe.symbols.2`, `params.fast`) at their fields. */
import { Stack, Text } from "@mantine/core";
import { useEffect, useMemo, useState } from "react";
import { useDatasets } from "../datasets/useDatasets";
import type { RequestEditorProps } from "../jobs/requestEditor";
import type { PipelineRunRequest } from "./api";
import { fieldOf, fromRunRequest, type StartState, StartFields, useStartForm } from "./StartForm";

export function PipelineRequestEditor({ value, onChange, errors }: RequestEditorProps) {
  const datasets = useDatasets();
  const [form, setForm] = useState<StartState>(() => fromRunRequest(value as Partial<PipelineRunRequest>));
  const [initial] = useState(() => JSON.stringify(form));
  const derived = useStartForm(form, datasets.data?.items ?? []);
  const { out, rest } = useMemo(() => {
    const out: Record<string, string[]> = {};
    const rest: string[] = [];
    for (const [path, list] of Object.entries(errors)) {
      const field = fieldOf(path);
      if (field) (out[field] ??= []).push(...list);
      else rest.push(`${path || "request"}: ${list.join(" ")}`);
    }
    return { out, rest };
  }, [errors]);
  const at = (field: string) => (out[field]?.length ? out[field].join(" ") : undefined);

  // Sent out once edited, or while it lacks the strategy the form picks by default (a new step).
  const request = JSON.stringify(derived.toRequest());
  const changed = JSON.stringify(form) !== initial;
  const incomplete = !value.strategy_id && !value.template;
  useEffect(() => {
    if ((changed || incomplete) && request !== JSON.stringify(value)) onChange(JSON.parse(request) as Record<string, unknown>);
  }, [request, changed, incomplete, value, onChange]);

  return (
    <Stack gap="md">
      <StartFields form={form} setForm={setForm} derived={derived} at={at} checked={false} />
      {rest.map((text) => (
        <Text key={text} size="sm" c="red" role="alert">
          {text}
        </Text>
      ))}
    </Stack>
  );
}

export default PipelineRequestEditor;
