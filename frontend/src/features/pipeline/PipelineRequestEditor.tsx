/** A pipeline-run request edited with the start form's fields (a workflow step's, a schedule's
 * target): `value` in, every change out through `onChange`, no submit of its own; the server's
 * messages by the request's paths (`universe.symbols.2`, `params.fast`) at their fields. */
import { Stack } from "@mantine/core";
import { useState } from "react";
import { useDatasets } from "../datasets/useDatasets";
import { type RequestEditorProps, UnplacedErrors, useLocatedErrors, useSendWhenEdited } from "../jobs/requestEditor";
import type { PipelineRunRequest } from "./api";
import { fieldOf, fromRunRequest, type StartState, StartFields, useStartForm } from "./StartForm";

export function PipelineRequestEditor(props: RequestEditorProps) {
  const { value, errors } = props;
  const datasets = useDatasets();
  const [form, setForm] = useState<StartState>(() => fromRunRequest(value as Partial<PipelineRunRequest>));
  const [initial] = useState(() => JSON.stringify(form));
  const derived = useStartForm(form, datasets.data?.items ?? []);
  const { at, rest } = useLocatedErrors(errors, fieldOf);

  // Sent out once edited, or while it lacks the strategy the form picks by default (a new step).
  const request = JSON.stringify(derived.toRequest());
  const changed = JSON.stringify(form) !== initial;
  const incomplete = !value.strategy_id && !value.template;
  useSendWhenEdited(props, request, changed, incomplete);

  return (
    <Stack gap="md">
      <StartFields form={form} setForm={setForm} derived={derived} at={at} checked={false} />
      <UnplacedErrors messages={rest} />
    </Stack>
  );
}

export default PipelineRequestEditor;
