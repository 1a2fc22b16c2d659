import { createContext, useContext } from "react";
import { NO_PROBLEMS, type ProblemIndex } from "../locate";
import type { IndicatorKindInfo, Path, StrategyDoc } from "../model";

export interface BuilderState {
  doc: StrategyDoc;
  /** Put `value` at `path` (`undefined` removes the key). */
  set: (path: Path, value: unknown) => void;
  /** Replace the whole document (renames, reorders). */
  replace: (doc: StrategyDoc) => void;
  problems: ProblemIndex;
  kinds: IndicatorKindInfo[];
  /** Series a rule may read (price columns, indicators and their outputs). */
  series: string[];
  parameters: string[];
}

export const BuilderContext = createContext<BuilderState>({
  doc: { name: "", rules: [] },
  set: () => undefined,
  replace: () => undefined,
  problems: NO_PROBLEMS,
  kinds: [],
  series: [],
  parameters: [],
});

export function useBuilder(): BuilderState {
  return useContext(BuilderContext);
}
