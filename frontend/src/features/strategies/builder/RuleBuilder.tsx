/** The rule builder: every part of the strategy document as labelled fields, bound to the document
 * held by the editor (the JSON view edits the same one). */
import { Stack } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ProblemIndex } from "../locate";
import { type IndicatorKindInfo, type Path, seriesOptions, setIn, type StrategyDoc } from "../model";
import { BuilderContext, type BuilderState } from "./context";
import { RulesEditor } from "./Rules";
import { Section } from "./Section";
import { ConstraintsEditor, CostsEditor, ExecutionEditor, GeneralEditor, IndicatorsEditor, ParametersEditor, RiskEditor, SizingEditor } from "./sections";

export interface RuleBuilderProps {
  doc: StrategyDoc;
  onChange: (doc: StrategyDoc) => void;
  problems: ProblemIndex;
  kinds: IndicatorKindInfo[];
}

export function RuleBuilder({ doc, onChange, problems, kinds }: RuleBuilderProps) {
  const { t } = useTranslation("strategies");
  const state = useMemo<BuilderState>(
    () => ({
      doc,
      set: (path: Path, value: unknown) => onChange(setIn(doc, path, value)),
      replace: onChange,
      problems,
      kinds,
      series: seriesOptions(doc, kinds),
      parameters: Object.keys(doc.parameters ?? {}),
    }),
    [doc, onChange, problems, kinds],
  );
  return (
    <BuilderContext.Provider value={state}>
      <Stack gap="sm">
        <Section id="sb-general" title={t("sections.general")} path={["name"]}>
          <GeneralEditor />
        </Section>
        <Section id="sb-parameters" title={t("sections.parameters")} path={["parameters"]}>
          <ParametersEditor />
        </Section>
        <Section id="sb-constraints" title={t("sections.constraints")} path={["constraints"]}>
          <ConstraintsEditor />
        </Section>
        <Section id="sb-indicators" title={t("sections.indicators")} path={["indicators"]}>
          <IndicatorsEditor />
        </Section>
        <Section id="sb-rules" title={t("sections.rules")} path={["rules"]}>
          <RulesEditor />
        </Section>
        <Section id="sb-sizing" title={t("sections.sizing")} path={["sizing"]}>
          <SizingEditor />
        </Section>
        <Section id="sb-risk" title={t("sections.risk")} path={["risk"]}>
          <RiskEditor />
        </Section>
        <Section id="sb-costs" title={t("sections.costs")} path={["costs"]}>
          <CostsEditor />
        </Section>
        <Section id="sb-execution" title={t("sections.execution")} path={["execution"]}>
          <ExecutionEditor />
        </Section>
      </Stack>
    </BuilderContext.Provider>
  );
}

export default RuleBuilder;
