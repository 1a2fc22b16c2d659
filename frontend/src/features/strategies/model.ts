/** The strategy document's types, named from the API's own schema (never by hand), and the small
 * immutable helpers the builder edits it with. */
import type { Schemas } from "../../api/client";

export type StrategyDoc = Schemas["Strategy-Input"];
export type Parameter = Schemas["Parameter"];
export type Indicator = Schemas["Indicator"];
export type IndicatorKind = Indicator["kind"];
export type Rule = Schemas["Rule-Input"];
export type Condition = Rule["when"];
export type Comparison = Schemas["Comparison-Input"];
export type Between = Schemas["Between"];
export type AllOf = Schemas["AllOf-Input"];
export type AnyOf = Schemas["AnyOf-Input"];
export type Not = Schemas["Not-Input"];
export type Operand = Comparison["left"];
export type ParamRef = Schemas["ParamRef"];
export type Constraint = Schemas["Constraint"];
export type Sizing = Schemas["Sizing"];
export type Risk = Schemas["Risk"];
export type RiskExit = Schemas["RiskExit"];
export type Costs = Schemas["Costs"];
export type Execution = Schemas["Execution"];
export type IndicatorKindInfo = Schemas["IndicatorKindOut"];
export type StrategySummary = Schemas["StrategySummaryOut"];
export type Strategy = Schemas["StrategyOut"];
export type Version = Schemas["VersionOut"];
export type ValidationProblem = Schemas["ValidationProblem"];

/** A path inside the document, as the API's `loc`: `["rules", 0, "when", "left"]`. */
export type Path = (string | number)[];

export const ACTIONS: Rule["action"][] = ["buy", "sell", "short", "cover", "close"];
export const DIRECTIONS: NonNullable<StrategyDoc["direction"]>[] = ["long_only", "short_only", "long_short"];
export const COMPARISON_OPS: Comparison["op"][] = [">", "<", ">=", "<=", "crosses_above", "crosses_below"];
export const CONDITION_OPS: Condition["op"][] = [...COMPARISON_OPS, "between", "all", "any", "not"];
export const CONSTRAINT_OPS: Constraint["op"][] = ["<", "<=", ">", ">=", "!="];
export const SIZING_MODES: NonNullable<Sizing["mode"]>[] = ["all_in", "fraction", "units"];
export const FILLS: NonNullable<Execution["fill"]>[] = ["next_open", "close"];
export const RISK_EXITS = ["stop_loss", "take_profit", "trailing_stop"] as const;
export const PRICE_COLUMNS = ["open", "high", "low", "close", "volume"];
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` (undefined when any step is missing). */
export function getIn(root: Json, path: Path): Json {
  let node = root;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === "number") node = node[part];
    else if (isObject(node) && typeof part === "string") node = node[part];
    else return undefined;
  }
  return node;
}

/** A copy of `root` with `value` at `path` (`undefined` removes the key; objects and arrays on the
 * way are copied, the rest shared). */
export function setIn<T>(root: T, path: Path, value: Json): T {
  if (!path.length) return value as T;
  const [head, ...rest] = path;
  if (Array.isArray(root) && typeof head === "number") {
    const copy = root.slice();
    copy[head] = setIn(root[head], rest, value);
    return copy as T;
  }
  const base: Record<string, Json> = isObject(root) ? { ...root } : {};
  const key = String(head);
  const next = setIn(base[key], rest, value);
  if (next === undefined) delete base[key];
  else base[key] = next;
  return base as T;
}

/** Rename a key of the object at `path`, keeping its position among the keys (order is meaningful to
 * people reading the JSON). */
export function renameKey<T>(root: T, path: Path, from: string, to: string): T {
  const node = getIn(root, path);
  if (!isObject(node) || from === to || to in node) return root;
  const renamed = Object.fromEntries(Object.entries(node).map(([k, v]) => [k === from ? to : k, v]));
  return setIn(root, path, renamed);
}

/** A name not yet used among `taken`: `base`, `base_2`, `base_3`… */
export function freshName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}_${n}`)) n += 1;
  return `${base}_${n}`;
}

/** The document as the JSON view shows it. */
export function pretty(doc: Json): string {
  return JSON.stringify(doc, null, 2);
}

export function isParamRef(value: Json): value is ParamRef {
  return isObject(value) && typeof value.param === "string" && Object.keys(value).length === 1;
}

export type OperandKind = "series" | "number" | "param";

export function operandKind(value: Json): OperandKind {
  if (typeof value === "number") return "number";
  if (isObject(value)) return "param";
  return "series";
}

/** A condition of `op`, keeping what it can of `previous` (operands of a comparison, the children of a
 * group), so switching an operator never loses the user's work silently. */
export function conditionWithOp(previous: Condition, op: Condition["op"]): Condition {
  const prev = previous as unknown as { left?: Operand; right?: Operand; lower?: Operand; upper?: Operand; of?: Condition | Condition[] };
  const left = prev.left ?? "close";
  const children: Condition[] = Array.isArray(prev.of) ? prev.of : prev.of ? [prev.of] : prev.left !== undefined ? [previous] : [];
  if (op === "all" || op === "any") return { op, of: children.length ? children : [{ op: ">", left: "close", right: 0 }] };
  if (op === "not") return { op, of: children[0] ?? previous };
  if (op === "between") return { op, left, lower: prev.lower ?? prev.right ?? 0, upper: prev.upper ?? 0 };
  return { op, left, right: prev.right ?? prev.lower ?? 0 };
}

/** Series a rule may read: price columns, every indicator id and `id.output` for multi-output kinds. */
export function seriesOptions(doc: StrategyDoc, kinds: IndicatorKindInfo[]): string[] {
  const out = [...PRICE_COLUMNS];
  for (const [id, indicator] of Object.entries(doc.indicators ?? {})) {
    out.push(id);
    const outputs = kinds.find((k) => k.kind === indicator?.kind)?.outputs ?? [];
    if (outputs.length > 1) for (const output of outputs) out.push(`${id}.${output}`);
  }
  return out;
}

export function newParameter(): Parameter {
  return { type: "int", default: 10, min: 1, max: 100, step: 1 };
}

export function newRule(id: string): Rule {
  return { id, when: { op: ">", left: "close", right: 0 }, action: "buy", enabled: true, priority: 0 };
}

/** After renaming a parameter or an indicator, make everything that referred to it follow: a
 * parameter's `{"param": name}` references and constraints, an indicator's series references
 * (`id` and `id.output`) in conditions and in other indicators' sources. */
export function renameReferences(doc: StrategyDoc, what: "parameter" | "indicator", from: string, to: string): StrategyDoc {
  if (what === "parameter") {
    const walk = (value: Json): Json => {
      if (Array.isArray(value)) return value.map(walk);
      if (!isObject(value)) return value;
      if (isParamRef(value)) return value.param === from ? { param: to } : value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    };
    const next = walk(doc) as StrategyDoc;
    if (Array.isArray(next.constraints))
      next.constraints = next.constraints.map((c) => ({ ...c, left: c.left === from ? to : c.left, right: c.right === from ? to : c.right }));
    return next;
  }
  const series = (value: Json): Json => {
    if (typeof value !== "string") return value;
    if (value === from) return to;
    return value.startsWith(`${from}.`) ? `${to}${value.slice(from.length)}` : value;
  };
  const condition = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(condition);
    if (!isObject(value)) return value;
    const out: Record<string, Json> = { ...value };
    for (const key of ["left", "right", "lower", "upper"]) if (key in out) out[key] = series(out[key]);
    if ("of" in out) out.of = condition(out.of);
    return out;
  };
  const indicators = Object.fromEntries(
    Object.entries(doc.indicators ?? {}).map(([id, ind]) => [id, isObject(ind) && "source" in ind ? { ...ind, source: series(ind.source) as string } : ind]),
  );
  const rules = Array.isArray(doc.rules) ? doc.rules.map((r) => (isObject(r) ? { ...r, when: condition(r.when) as Condition } : r)) : doc.rules;
  return { ...doc, ...(doc.indicators ? { indicators } : {}), rules };
}
