/** The parameter-space editor's pure side: a field per strategy parameter (a stepped range, a list
 * of values, or one fixed value), checked here before anything is sent (a step of 0, a fraction for
 * an integer parameter, bounds outside what the strategy allows), counted as the API counts it
 * (docs/api.md, "Numbers and parameter spaces") and turned into the request's `space` entry. */

export interface ParamSpec {
  type?: "int" | "float";
  default: number;
  min?: number | null;
  max?: number | null;
  step?: number | null;
  choices?: number[] | null;
  description?: string | null;
}

export type Mode = "range" | "list" | "fixed";
export type Part = "min" | "max" | "step" | "list" | "value";

export interface ParamField {
  mode: Mode;
  min: string;
  max: string;
  step: string;
  list: string;
  value: string;
}

/** One problem of a field, at one of its inputs: `code` names the message (`space.problems.<code>`). */
export interface SpaceProblem {
  part: Part;
  code: "number" | "integer" | "stepPositive" | "order" | "belowMin" | "aboveMax" | "empty";
  values?: Record<string, string | number>;
}

const text = (value: number | null | undefined) => (value === null || value === undefined ? "" : String(value));

/** What the strategy itself sweeps: its choices, its stepped range, else its default alone. */
export function initialField(p: ParamSpec): ParamField {
  const base = {
    min: text(p.min ?? p.default),
    max: text(p.max ?? p.default),
    step: text(p.step ?? (p.type === "float" ? 0.1 : 1)),
    list: "",
    value: text(p.default),
  };
  if (p.choices?.length) return { ...base, mode: "list", list: p.choices.join(", ") };
  if (p.step !== null && p.step !== undefined && p.min !== null && p.min !== undefined && p.max !== null && p.max !== undefined)
    return { ...base, mode: "range" };
  return { ...base, mode: "fixed" };
}

function parse(raw: string): number | null {
  const trimmed = raw.trim().replace(",", ".");
  if (!trimmed) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function listValues(raw: string): (number | null)[] {
  return raw
    .split(/[;\s]+|,(?=\s)|,$/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map(parse);
}

/** Every problem of one field, each at its input. */
export function fieldProblems(p: ParamSpec, f: ParamField): SpaceProblem[] {
  const problems: SpaceProblem[] = [];
  const integer = (p.type ?? "int") === "int";
  const check = (part: Part, value: number | null) => {
    if (value === null) return (problems.push({ part, code: "number" }), null);
    if (integer && !Number.isInteger(value)) return (problems.push({ part, code: "integer" }), null);
    if (part !== "step" && p.min !== null && p.min !== undefined && value < p.min)
      return (problems.push({ part, code: "belowMin", values: { min: p.min } }), null);
    if (part !== "step" && p.max !== null && p.max !== undefined && value > p.max)
      return (problems.push({ part, code: "aboveMax", values: { max: p.max } }), null);
    return value;
  };
  if (f.mode === "fixed") {
    check("value", parse(f.value));
  } else if (f.mode === "list") {
    const values = listValues(f.list);
    if (!values.length) problems.push({ part: "list", code: "empty" });
    for (const value of values) {
      const before = problems.length;
      check("list", value);
      if (problems.length > before) break;
    }
  } else {
    const min = check("min", parse(f.min));
    const max = check("max", parse(f.max));
    const step = parse(f.step);
    if (step === null) problems.push({ part: "step", code: "number" });
    else if (step <= 0) problems.push({ part: "step", code: "stepPositive" });
    else if (integer && !Number.isInteger(step)) problems.push({ part: "step", code: "integer" });
    if (min !== null && max !== null && min > max) problems.push({ part: "max", code: "order" });
  }
  return problems;
}

/** The request's entry for a field without problems. */
export function entryOf(f: ParamField): number | number[] | { min: number; max: number; step: number } {
  if (f.mode === "fixed") return parse(f.value) as number;
  if (f.mode === "list") return listValues(f.list) as number[];
  return { min: parse(f.min) as number, max: parse(f.max) as number, step: parse(f.step) as number };
}

/** The field that gives a request's entry back (a saved step's, a schedule's space). */
export function fieldOfEntry(entry: number | number[] | { min: number; max: number; step: number }): ParamField {
  const blank = { min: "", max: "", step: "", list: "", value: "" };
  if (typeof entry === "number") return { ...blank, mode: "fixed", value: String(entry) };
  if (Array.isArray(entry)) return { ...blank, mode: "list", list: entry.join(", ") };
  return { ...blank, mode: "range", min: String(entry.min), max: String(entry.max), step: String(entry.step) };
}

/** How many values a field without problems gives (⌊(max − min) / step⌋ + 1 for a range). */
export function countOf(f: ParamField): number {
  if (f.mode === "fixed") return 1;
  if (f.mode === "list") return listValues(f.list).length;
  const min = parse(f.min) as number;
  const max = parse(f.max) as number;
  const step = parse(f.step) as number;
  // A tolerance for binary fractions (0.3 / 0.1 = 2.9999999999999996).
  return Math.floor((max - min) / step + 1e-9) + 1;
}

/** The space of every field, or the problems by parameter (none sent while any remains). */
export function buildSpace(params: Record<string, ParamSpec>, fields: Record<string, ParamField>) {
  const problems: Record<string, SpaceProblem[]> = {};
  const space: Record<string, ReturnType<typeof entryOf>> = {};
  let grid = 1;
  for (const [name, p] of Object.entries(params)) {
    const f = fields[name] ?? initialField(p);
    const found = fieldProblems(p, f);
    if (found.length) problems[name] = found;
    else {
      space[name] = entryOf(f);
      grid *= countOf(f);
    }
  }
  return { space, problems, grid, valid: Object.keys(problems).length === 0 };
}

/** A short account of a field: `5–50 / 5`, `{10, 20}` or `14`. */
export function describeField(f: ParamField): string {
  if (f.mode === "fixed") return f.value.trim();
  if (f.mode === "list") return `{${listValues(f.list).join(", ")}}`;
  return `${f.min.trim()}–${f.max.trim()} / ${f.step.trim()}`;
}
