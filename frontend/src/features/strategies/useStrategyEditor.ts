/** The editor's one source of truth: the JSON text and the document it holds. The builder edits the
 * document (the text is re-printed from it); the JSON view edits the text (the document follows while
 * the text parses). Every change is validated by the API after a short pause. */
import { useDebouncedValue } from "@mantine/hooks";
import { useCallback, useMemo, useState } from "react";
import { ApiProblem } from "../../api/client";
import { useValidation } from "./api";
import { JsonSyntaxError, jsonPositions, lineOf, ProblemIndex } from "./locate";
import { pretty, type StrategyDoc, type ValidationProblem } from "./model";

export interface ParseError {
  message: string;
  line: number;
}

export const VALIDATE_DELAY_MS = 400;

function parseText(text: string): { doc: StrategyDoc | null; error: ParseError | null } {
  try {
    jsonPositions(text);
  } catch (e) {
    const offset = e instanceof JsonSyntaxError ? e.offset : 0;
    return { doc: null, error: { message: e instanceof Error ? e.message : String(e), line: lineOf(text, offset) } };
  }
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { doc: null, error: { message: "not an object", line: 1 } };
  return { doc: value as StrategyDoc, error: null };
}

export function useStrategyEditor(initial: StrategyDoc) {
  const [state, setState] = useState(() => ({ doc: initial, text: pretty(initial), parseError: null as ParseError | null, base: pretty(initial) }));
  const [saveProblems, setSaveProblems] = useState<ValidationProblem[]>([]);

  const setDoc = useCallback((doc: StrategyDoc) => {
    setSaveProblems([]);
    setState((s) => ({ ...s, doc, text: pretty(doc), parseError: null }));
  }, []);

  const setText = useCallback((text: string) => {
    setSaveProblems([]);
    const parsed = parseText(text);
    setState((s) => ({ ...s, text, doc: parsed.doc ?? s.doc, parseError: parsed.error }));
  }, []);

  /** Start over from a saved document (after a save or a reload). */
  const reset = useCallback((doc: StrategyDoc) => {
    setSaveProblems([]);
    setState({ doc, text: pretty(doc), parseError: null, base: pretty(doc) });
  }, []);

  /** A failed save's located problems (`["body", "document", ...]`) join the validation's. */
  const showSaveError = useCallback((error: unknown) => {
    if (!(error instanceof ApiProblem)) return;
    setSaveProblems(
      error.errors.filter((e) => e.loc[0] === "body" && e.loc[1] === "document").map((e) => ({ loc: e.loc.slice(2), path: "", msg: e.msg, type: e.type })),
    );
  }, []);

  const [debounced] = useDebouncedValue(state.doc, VALIDATE_DELAY_MS);
  const validation = useValidation(debounced, !state.parseError);
  const checked = validation.data;
  const problems = useMemo(() => new ProblemIndex([...(checked?.errors ?? []), ...saveProblems], state.doc), [checked, saveProblems, state.doc]);
  const pending = debounced !== state.doc || validation.isFetching;

  return {
    doc: state.doc,
    text: state.text,
    parseError: state.parseError,
    dirty: pretty(state.doc) !== state.base || !!state.parseError,
    problems,
    validating: pending,
    valid: !state.parseError && !pending && !!checked?.valid && saveProblems.length === 0,
    validationError: validation.error,
    setDoc,
    setText,
    reset,
    showSaveError,
  };
}

export type StrategyEditor = ReturnType<typeof useStrategyEditor>;
