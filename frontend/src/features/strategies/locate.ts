/** Where each validation problem belongs: in the builder (a field, found by its document path) and in
 * the JSON view (a line of the text). The API's `loc` follows pydantic, which also names the union
 * member it tried (`"crosses_above"`, `"ParamRef"`, `"function-after[…]"`); those steps are dropped by
 * walking the document itself, so `["rules", 0, "when", "crosses_above", "left", "ParamRef", "param"]`
 * lands on `rules.0.when.left.param`. */
import type { Path, ValidationProblem } from "./model";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const UNION_MEMBER =
  /^(int|float|str|bool|none|null|ParamRef|RiskExit|Comparison|Between|AllOf|AnyOf|Not|constrained-.*|function-.*|union\[.*|list\[.*|dict\[.*|.*\[.*\].*)$/;

/** `loc` as a path through `doc`: steps that exist are kept, union member names dropped, and the last
 * step kept when it names a missing key of an object (a required field). */
export function normalizeLoc(loc: Path, doc: unknown): Path {
  const out: Path = [];
  let node: unknown = doc;
  for (let i = 0; i < loc.length; i += 1) {
    const part = loc[i];
    if (Array.isArray(node) && typeof part === "number" && part < node.length) {
      out.push(part);
      node = node[part];
    } else if (isObject(node) && typeof part === "string" && part in node) {
      out.push(part);
      node = node[part];
    } else if (isObject(node) && typeof part === "string" && (node.op === part || UNION_MEMBER.test(part))) {
      continue; // the discriminator's tag or the union member pydantic tried
    } else if (!isObject(node) && !Array.isArray(node)) {
      break; // a scalar: the rest names the types it was tried as
    } else if (isObject(node) && typeof part === "string") {
      out.push(part); // a missing key: the field is required here
      node = undefined;
    } else {
      break;
    }
  }
  return out;
}

export function pathKey(path: Path): string {
  return path.join(".");
}

export interface LocatedProblem extends ValidationProblem {
  /** The normalized path (see normalizeLoc). */
  at: Path;
  key: string;
}

/** The problems of a document, located, with look-ups for the builder's fields. */
export class ProblemIndex {
  readonly all: LocatedProblem[];

  constructor(problems: ValidationProblem[], doc: unknown) {
    this.all = problems.map((p) => {
      const at = normalizeLoc(p.loc, doc);
      return { ...p, at, key: pathKey(at) };
    });
  }

  /** Messages exactly at `path` (a container: a rule, a condition, a parameter). */
  at(path: Path): string[] {
    const key = pathKey(path);
    return this.all.filter((p) => p.key === key).map((p) => p.msg);
  }

  /** Messages at `path` or anywhere below it (a leaf field: an operand, a number). */
  under(path: Path): string[] {
    const key = pathKey(path);
    return this.all.filter((p) => p.key === key || p.key.startsWith(`${key}.`)).map((p) => p.msg);
  }

  /** `error` for a Mantine input: the messages joined, or undefined. */
  error(path: Path, below = true): string | undefined {
    const found = below ? this.under(path) : this.at(path);
    return found.length ? found.join("; ") : undefined;
  }

  count(path: Path): number {
    return this.under(path).length;
  }
}

export const NO_PROBLEMS = new ProblemIndex([], {});

/** The DOM id of the builder field at `path` (problems link to it, tests find it). */
export function fieldId(path: Path): string {
  return `sf-${path.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, "_")).join("-")}`;
}

/** The id of the deepest rendered field at or above `path`, or null. */
export function nearestField(path: Path, exists: (id: string) => boolean): string | null {
  for (let n = path.length; n > 0; n -= 1) {
    const id = fieldId(path.slice(0, n));
    if (exists(id)) return id;
  }
  return null;
}

// --- positions in the JSON text -------------------------------------------------------------------

export interface JsonPositions {
  /** The offset where the value (or, for an object member, its key) at each path starts. */
  offsets: Map<string, number>;
}

export class JsonSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** Parse JSON text recording where every value starts (a member by its key), for pointing a problem's
 * path at its line. Throws JsonSyntaxError with the offset on bad text. */
export function jsonPositions(text: string): JsonPositions {
  const offsets = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i += 1;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(what, i);
  };
  const string = (): string => {
    const start = i;
    i += 1;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("unterminated string");
    i += 1;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: Path, at?: number) => {
    ws();
    offsets.set(pathKey(path), at ?? i);
    const c = text[i];
    if (c === "{") {
      i += 1;
      ws();
      if (text[i] === "}") {
        i += 1;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const keyAt = i;
        const key = string();
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i += 1;
        value([...path, key], keyAt);
        ws();
        if (text[i] === ",") i += 1;
        else if (text[i] === "}") {
          i += 1;
          return;
        } else fail("expected ',' or '}'");
      }
    } else if (c === "[") {
      i += 1;
      ws();
      if (text[i] === "]") {
        i += 1;
        return;
      }
      for (let n = 0; ; n += 1) {
        value([...path, n]);
        ws();
        if (text[i] === ",") i += 1;
        else if (text[i] === "]") {
          i += 1;
          return;
        } else fail("expected ',' or ']'");
      }
    } else if (c === '"') string();
    else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
      if (!m) fail("unexpected character");
      i += m![0].length;
    }
  };
  value([]);
  ws();
  if (i < text.length) fail("unexpected text after the document");
  return { offsets };
}

/** The 1-based line of `offset` in `text`. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < offset && k < text.length; k += 1) if (text[k] === "\n") line += 1;
  return line;
}

/** The offset of the deepest value found at or above `path` in the text. */
export function offsetOf(positions: JsonPositions, path: Path): number {
  for (let n = path.length; n >= 0; n -= 1) {
    const found = positions.offsets.get(pathKey(path.slice(0, n)));
    if (found !== undefined) return found;
  }
  return 0;
}
