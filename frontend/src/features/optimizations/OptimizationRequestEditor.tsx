/** An optimization request edited with the space editor's fields and its live estimate (a workflow
 * step's, a schedule's target): `value` in, every change out through `onChange`, no submit of its
 * own. The server's messages by the request's paths (`space.fast`, `symbols.2`) land at their fields. */
import { Stack } from "@mantine/core";
import { useState } from "react";
import type { OptimizationRequest } from "../../api/client";
import { useDatasets } from "../datasets/useDatasets";
import { type RequestEditorProps, unplaced, UnplacedErrors, useSendWhenEdited } from "../jobs/requestEditor";
import { EstimatePanel } from "./EstimatePanel";
import { fromOptimizationRequest, OptimizationFields, type OptState, useOptimizationForm } from "./OptimizationForm";
import { useEstimate, useTemplates } from "./useOptimizations";

/** The paths the fields show (anything else is listed under them). */
const SHOWN = /^(strategy|strategy_id|strategy_version|dataset_id|symbols|watchlist_id|start|end|space|objective|min_trades|walk_forward|name)(\.|$)/;

export function OptimizationRequestEditor(props: RequestEditorProps) {
  const { value, errors } = props;
  const datasets = useDatasets();
  const [state, setState] = useState<OptState>(() => fromOptimizationRequest(value as Partial<OptimizationRequest>));
  const [initial, setInitial] = useState(() => JSON.stringify(state));
  // A saved inline document (how the form sends a template) shows as the template of its name (its
  // space kept); one that matches none is kept as it is until another strategy is chosen.
  const templates = useTemplates();
  const [inline] = useState(() => (value.strategy_id ? null : ((value.strategy as { name?: string } | undefined) ?? null)));
  const [source] = useState(state.source);
  const named = inline && state.source === source ? templates.data?.items.find((x) => x.name === inline.name) : undefined;
  if (named && `template:${named.template}` !== state.source) {
    const shown = { ...state, source: `template:${named.template}`, fieldsOf: `template:${named.template}@` };
    setState(shown);
    setInitial(JSON.stringify(shown));
  }
  const derived = useOptimizationForm(state, setState, datasets.data?.items ?? [], false);
  const estimate = useEstimate(derived.request);

  const at = (...field: (string | number)[]) => errors[field.join(".")] ?? [];
  const symbolErrors = Object.entries(errors)
    .filter(([path]) => path === "symbols" || path.startsWith("symbols."))
    .flatMap(([path, list]) => {
      const symbol = derived.listed[Number(path.split(".")[1])];
      return list.map((m) => (symbol && !m.includes(symbol) ? `${symbol}: ${m}` : m));
    });
  const rest = Object.entries(errors)
    .filter(([path]) => !SHOWN.test(path))
    .map(([path, list]) => unplaced(path, list));

  // Sent out once edited (a range, any choice), or while it lacks what the form fills in by default
  // (a new step: the strategy and dataset); a saved request only shown stays as it was. An inline
  // strategy document stays until another strategy is chosen.
  const changed = JSON.stringify(state) !== initial;
  const incomplete = (!value.strategy_id && !value.strategy) || !value.dataset_id;
  const keepInline = inline && !named && state.source === source;
  const request = derived.request ? JSON.stringify(keepInline ? { ...derived.request, strategy: inline } : derived.request) : null;
  useSendWhenEdited(props, request, changed, incomplete);

  return (
    <Stack gap="sm">
      <OptimizationFields
        state={state}
        setState={setState}
        derived={derived}
        at={at}
        symbolErrors={symbolErrors}
        spaceErrors={errors.space ?? []}
        submitted={Object.keys(errors).length > 0}
      />
      <EstimatePanel
        estimate={estimate.data ?? null}
        pending={estimate.pending || estimate.isFetching}
        error={estimate.error}
        ready={derived.request !== null}
      />
      <UnplacedErrors messages={rest} />
    </Stack>
  );
}

export default OptimizationRequestEditor;
