/** A step as the editor holds it (a command's parameter values, or another kind's request with its
 * JSON text while that view is open), and the conversions to and from what the API takes. */
import type { Values } from "../commands/schema";
import { toParams } from "../commands/schema";
import type { StepTarget, Workflow, WorkflowRequest } from "./api";
import { type RequestDraft, requestOf } from "./RequestEditor";

export type StepKind = "command" | "pipeline" | "backtest" | "optimization";
export const STEP_KINDS: StepKind[] = ["command", "pipeline", "backtest", "optimization"];
export const MAX_STEPS = 20;

export interface StepDraft extends RequestDraft {
  key: string;
  name: string;
  kind: StepKind;
  command: string | null;
  values: Values;
}

let counter = 0;
const nextKey = () => `step-${++counter}`;

export function newStep(kind: StepKind = "command"): StepDraft {
  return { key: nextKey(), name: "", kind, command: null, values: {}, request: {}, json: null };
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
      request: target.kind === "command" ? {} : ((target.request ?? {}) as Record<string, unknown>),
      json: null,
    };
  });
}

/** The steps as the API takes them, or the keys of the steps whose JSON view holds no JSON object. */
export function toSteps(drafts: StepDraft[]): { steps: WorkflowRequest["steps"] } | { badJson: string[] } {
  const badJson: string[] = [];
  const steps = drafts.map((draft) => {
    let target: StepTarget;
    if (draft.kind === "command") {
      target = { kind: "command", command: draft.command ?? "", params: toParams(draft.values) };
    } else {
      const request = requestOf(draft);
      if (request === null) badJson.push(draft.key);
      target = { kind: draft.kind, request: request ?? {} } as StepTarget;
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
