/** A step as the editor holds it (a command's parameter values, or another kind's request as JSON
 * text), and the conversions to and from what the API takes. */
import type { Values } from "../commands/schema";
import { toParams } from "../commands/schema";
import type { StepTarget, Workflow, WorkflowRequest } from "./api";

export type StepKind = "command" | "pipeline" | "backtest" | "optimization";
export const STEP_KINDS: StepKind[] = ["command", "pipeline", "backtest", "optimization"];
export const MAX_STEPS = 20;

export const EXAMPLES: Record<Exclude<StepKind, "command">, unknown> = {
  pipeline: { template: "sma_cross", params: { fast: 10, slow: 40 }, mode: "demo" },
  backtest: { template: "sma_cross", params: { fast: 10, slow: 40 }, dataset_id: "sample", symbols: [] },
  optimization: { strategy_id: "", dataset_id: "sample", symbols: [], space: {} },
};

export interface StepDraft {
  key: string;
  name: string;
  kind: StepKind;
  command: string | null;
  values: Values;
  requestText: string;
}

let counter = 0;
const nextKey = () => `step-${++counter}`;

export function newStep(kind: StepKind = "command"): StepDraft {
  const requestText = kind === "command" ? "" : JSON.stringify(EXAMPLES[kind], null, 2);
  return { key: nextKey(), name: "", kind, command: null, values: {}, requestText };
}

export function fromWorkflow(workflow: Workflow): StepDraft[] {
  return workflow.steps.map((step) => {
    const target = step.target as { kind: StepKind; command?: string; params?: Values; request?: unknown };
    return {
      key: nextKey(),
      name: typeof step.name === "string" ? step.name : "",
      kind: target.kind,
      command: target.command ?? null,
      values: target.params ?? {},
      requestText: target.kind === "command" ? "" : JSON.stringify(target.request ?? {}, null, 2),
    };
  });
}

/** The steps as the API takes them, or the keys of the steps whose request is not JSON. */
export function toSteps(drafts: StepDraft[]): { steps: WorkflowRequest["steps"] } | { badJson: string[] } {
  const badJson: string[] = [];
  const steps = drafts.map((draft) => {
    let target: StepTarget;
    if (draft.kind === "command") {
      target = { kind: "command", command: draft.command ?? "", params: toParams(draft.values) };
    } else {
      let request: unknown = {};
      try {
        request = JSON.parse(draft.requestText);
      } catch {
        badJson.push(draft.key);
      }
      target = { kind: draft.kind, request } as StepTarget;
    }
    return draft.name.trim() ? { name: draft.name.trim(), target } : { target };
  });
  return badJson.length ? { badJson } : { steps };
}

export function move<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return items;
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
}
