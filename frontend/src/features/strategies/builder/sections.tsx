/** The document's parts other than rules: general, parameters, constraints, indicators, sizing,
 * risk, costs and execution. */
import { ActionIcon, Box, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Switch, Text, TextInput } from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { fieldId } from "../locate";
import {
  CONSTRAINT_OPS,
  type Constraint,
  DIRECTIONS,
  FILLS,
  freshName,
  getIn,
  type Indicator,
  newParameter,
  type Parameter,
  renameKey,
  renameReferences,
  RISK_EXITS,
  type RiskExit,
  SIZING_MODES,
} from "../model";
import { useBuilder } from "./context";
import { ChoiceField, KeyInput, NumberField, NumberOrParam, OperandInput, TextField, useDraft } from "./fields";
import { SectionProblems } from "./Section";

export function GeneralEditor() {
  const { t } = useTranslation("strategies");
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
      <TextField path={["name"]} label={t("general.name")} />
      <TextField path={["description"]} label={t("general.description")} optional />
      <ChoiceField path={["direction"]} label={t("general.direction")} options={DIRECTIONS} labelOf={(d) => t(`directions.${d}`)} fallback="long_only" />
    </SimpleGrid>
  );
}

export function ParametersEditor() {
  const { t } = useTranslation("strategies");
  const { doc, replace, set } = useBuilder();
  const params = (doc.parameters ?? {}) as Record<string, Parameter>;
  const names = Object.keys(params);
  return (
    <Stack gap="xs">
      <SectionProblems path={["parameters"]} />
      {names.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("parameters.empty")}
        </Text>
      )}
      {names.map((name, index) => {
        const path = ["parameters", name];
        return (
          <Paper key={index} p="xs" withBorder component="fieldset" aria-label={t("parameters.label", { name })} data-testid={`param-${name}`}>
            <Group gap="xs" align="flex-start" wrap="wrap">
              <Box style={{ flex: "1 1 7rem" }}>
                <KeyInput
                  path={path}
                  value={name}
                  taken={names}
                  label={t("parameters.name")}
                  onRename={(to) => replace(renameReferences(renameKey(doc, ["parameters"], name, to), "parameter", name, to))}
                />
              </Box>
              <Box style={{ flex: "0 1 6rem" }}>
                <ChoiceField
                  path={[...path, "type"]}
                  label={t("parameters.type")}
                  options={["int", "float"] as const}
                  labelOf={(v) => t(`parameters.types.${v}`)}
                  fallback="int"
                />
              </Box>
              <Box style={{ flex: "1 1 5rem" }}>
                <NumberField path={[...path, "default"]} label={t("parameters.default")} optional={false} />
              </Box>
              <Box style={{ flex: "1 1 5rem" }}>
                <NumberField path={[...path, "min"]} label={t("parameters.min")} />
              </Box>
              <Box style={{ flex: "1 1 5rem" }}>
                <NumberField path={[...path, "max"]} label={t("parameters.max")} />
              </Box>
              <Box style={{ flex: "1 1 5rem" }}>
                <NumberField path={[...path, "step"]} label={t("parameters.step")} />
              </Box>
              <Box style={{ flex: "1 1 8rem" }}>
                <ChoicesInput path={[...path, "choices"]} />
              </Box>
              <ActionIcon variant="subtle" color="red" mt={22} aria-label={t("parameters.remove", { name })} onClick={() => set(path, undefined)}>
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
            <Box mt={4}>
              <TextField path={[...path, "description"]} label={t("parameters.description")} optional />
            </Box>
          </Paper>
        );
      })}
      <Group>
        <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => set(["parameters", freshName("param", names)], newParameter())}>
          {t("parameters.add")}
        </Button>
      </Group>
    </Stack>
  );
}

/** A parameter's choices as "5, 10, 20" (empty removes them). */
function ChoicesInput({ path }: { path: (string | number)[] }) {
  const { t } = useTranslation("strategies");
  const { doc, set, problems } = useBuilder();
  const value = getIn(doc, path);
  const shown = Array.isArray(value) ? value.join(", ") : "";
  const [draft, setDraft] = useDraft(shown);
  return (
    <TextInput
      id={fieldId(path)}
      size="xs"
      label={t("parameters.choices")}
      placeholder={t("parameters.choicesHint")}
      value={draft}
      onChange={(e) => {
        const text = e.currentTarget.value;
        setDraft(text);
        const parts = text.split(/[,;\s]+/).filter(Boolean);
        if (!parts.length) set(path, undefined);
        else if (parts.every((p) => Number.isFinite(Number(p)))) set(path, parts.map(Number));
      }}
      onBlur={() => setDraft(shown)}
      error={problems.error(path)}
    />
  );
}

export function ConstraintsEditor() {
  const { t } = useTranslation("strategies");
  const { doc, set, parameters } = useBuilder();
  const constraints: Constraint[] = Array.isArray(doc.constraints) ? doc.constraints : [];
  return (
    <Stack gap="xs">
      {constraints.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("constraints.empty")}
        </Text>
      )}
      {constraints.map((c, i) => {
        const path = ["constraints", i];
        return (
          <Group key={i} gap="xs" align="flex-start" wrap="wrap" data-testid={`constraint-${i}`}>
            <Box style={{ flex: "1 1 7rem" }}>
              <ChoiceField path={[...path, "left"]} label={t("constraints.left")} options={parameters} labelOf={(p) => p} />
            </Box>
            <Box style={{ flex: "0 1 5rem" }}>
              <ChoiceField path={[...path, "op"]} label={t("constraints.op")} options={CONSTRAINT_OPS} labelOf={(o) => o} />
            </Box>
            <ConstraintRight path={[...path, "right"]} value={c?.right} />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={22}
              aria-label={t("constraints.remove", { n: i + 1 })}
              onClick={() =>
                set(
                  ["constraints"],
                  constraints.filter((_, k) => k !== i),
                )
              }
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          disabled={!parameters.length}
          onClick={() => set(["constraints"], [...constraints, { left: parameters[0], op: "<", right: parameters[1] ?? 0 }])}
        >
          {t("constraints.add")}
        </Button>
      </Group>
    </Stack>
  );
}

/** A constraint's right side: a parameter name or a number. */
function ConstraintRight({ path, value }: { path: (string | number)[]; value: unknown }) {
  const { t } = useTranslation("strategies");
  const { set, parameters } = useBuilder();
  const kind = typeof value === "number" ? "number" : "param";
  return (
    <Group gap={4} align="flex-start" wrap="nowrap" style={{ flex: "1 1 12rem" }}>
      <NativeSelect
        size="xs"
        label={t("operand.kind")}
        aria-label={t("operand.kindOf", { label: t("constraints.right") })}
        value={kind}
        onChange={(e) => set(path, e.currentTarget.value === "number" ? 0 : (parameters[0] ?? ""))}
        data={[
          { value: "param", label: t("operand.param") },
          { value: "number", label: t("operand.number") },
        ]}
        style={{ flex: "0 0 6.5rem" }}
      />
      <Box style={{ flex: 1 }}>
        {kind === "number" ? (
          <NumberField path={path} label={t("constraints.right")} optional={false} />
        ) : (
          <ChoiceField path={path} label={t("constraints.right")} options={parameters} labelOf={(p) => p} />
        )}
      </Box>
    </Group>
  );
}

export function IndicatorsEditor() {
  const { t } = useTranslation("strategies");
  const { doc, replace, set, kinds, problems: located } = useBuilder();
  const indicators = (doc.indicators ?? {}) as Record<string, Indicator>;
  const ids = Object.keys(indicators);
  const kindNames = kinds.map((k) => k.kind);
  return (
    <Stack gap="xs">
      <SectionProblems path={["indicators"]} />
      {ids.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("indicators.empty")}
        </Text>
      )}
      {ids.map((id, index) => {
        const path = ["indicators", id];
        const indicator = indicators[id] ?? ({} as Indicator);
        const info = kinds.find((k) => k.kind === indicator.kind);
        const given = Object.keys(indicator.params ?? {});
        const known = info?.params.map((p) => p.name) ?? [];
        const shown = [...known, ...given.filter((g) => !known.includes(g))];
        return (
          <Paper key={index} p="xs" withBorder component="fieldset" aria-label={t("indicators.label", { name: id })} data-testid={`indicator-${id}`}>
            <Group gap="xs" align="flex-start" wrap="wrap">
              <Box style={{ flex: "1 1 7rem" }}>
                <KeyInput
                  path={path}
                  value={id}
                  taken={ids}
                  label={t("indicators.id")}
                  onRename={(to) => replace(renameReferences(renameKey(doc, ["indicators"], id, to), "indicator", id, to))}
                />
              </Box>
              <Box style={{ flex: "1 1 7rem" }}>
                <NativeSelect
                  id={fieldId([...path, "kind"])}
                  size="xs"
                  label={t("indicators.kind")}
                  value={indicator.kind ?? ""}
                  onChange={(e) => {
                    const next = kinds.find((k) => k.kind === e.currentTarget.value);
                    const params = Object.fromEntries((next?.params ?? []).map((p) => [p.name, indicator.params?.[p.name] ?? p.default]));
                    set(path, { ...indicator, kind: e.currentTarget.value, params });
                  }}
                  data={(kindNames.includes(indicator.kind) ? kindNames : [indicator.kind ?? "", ...kindNames]).map((k) => ({
                    value: k,
                    label: k ? t(`kinds.${k}`, { defaultValue: k }) : "",
                  }))}
                  error={located.error([...path, "kind"])}
                />
              </Box>
              {(!info || info.inputs === "source") && (
                <Box style={{ flex: "1 1 8rem" }}>
                  <OperandInput path={[...path, "source"]} label={t("indicators.source")} kinds={["series"]} />
                </Box>
              )}
              {info && info.inputs !== "source" && (
                <Text size="xs" c="dimmed" mt={26} style={{ flex: "1 1 8rem" }}>
                  {t(`indicators.reads.${info.inputs}`)}
                </Text>
              )}
              <ActionIcon variant="subtle" color="red" mt={22} aria-label={t("indicators.remove", { name: id })} onClick={() => set(path, undefined)}>
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
            {shown.length > 0 && (
              <Group gap="xs" mt={4} align="flex-start" wrap="wrap">
                {shown.map((param) => {
                  const spec = info?.params.find((p) => p.name === param);
                  return (
                    <Box key={param} style={{ flex: "1 1 12rem" }}>
                      <NumberOrParam
                        path={[...path, "params", param]}
                        label={spec ? t("indicators.param", { name: param, value: spec.default }) : param}
                        integer={spec?.integer}
                      />
                    </Box>
                  );
                })}
              </Group>
            )}
            {info && info.outputs.length > 1 && (
              <Text size="xs" c="dimmed" mt={4}>
                {t("indicators.outputs", { outputs: info.outputs.map((o) => `${id}.${o}`).join(", ") })}
              </Text>
            )}
          </Paper>
        );
      })}
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => set(["indicators", freshName("sma", ids)], { kind: "sma", source: "close", params: { window: 20 } })}
        >
          {t("indicators.add")}
        </Button>
      </Group>
    </Stack>
  );
}

export function SizingEditor() {
  const { t } = useTranslation("strategies");
  const { doc } = useBuilder();
  const mode = doc.sizing?.mode ?? "all_in";
  return (
    <Group gap="xs" align="flex-start" wrap="wrap">
      <Box style={{ flex: "1 1 8rem" }}>
        <ChoiceField path={["sizing", "mode"]} label={t("sizing.mode")} options={SIZING_MODES} labelOf={(m) => t(`sizing.modes.${m}`)} fallback="all_in" />
      </Box>
      {mode !== "all_in" && (
        <Box style={{ flex: "1 1 12rem" }}>
          <NumberOrParam path={["sizing", "value"]} label={mode === "fraction" ? t("sizing.fraction") : t("sizing.units")} />
        </Box>
      )}
      <BooleanField path={["sizing", "fractional"]} label={t("sizing.fractional")} />
    </Group>
  );
}

export function BooleanField({ path, label }: { path: (string | number)[]; label: string }) {
  const { doc, set, problems } = useBuilder();
  return (
    <Switch
      id={fieldId(path)}
      size="sm"
      mt={26}
      label={label}
      checked={getIn(doc, path) === true}
      onChange={(e) => set(path, e.currentTarget.checked)}
      error={problems.error(path)}
    />
  );
}

export function RiskEditor() {
  const { t } = useTranslation("strategies");
  const { doc, set, problems: index } = useBuilder();
  return (
    <Stack gap="xs">
      {RISK_EXITS.map((exit) => {
        const path = ["risk", exit];
        const value = (doc.risk?.[exit] ?? null) as RiskExit | null;
        const mode = value && value.atr !== undefined && value.atr !== null ? "atr" : value ? "pct" : "none";
        const own = index.at(path);
        return (
          <Group key={exit} gap="xs" align="flex-start" wrap="wrap">
            <NativeSelect
              id={fieldId(path)}
              size="xs"
              label={t(`risk.${exit}`)}
              value={mode}
              onChange={(e) => {
                const next = e.currentTarget.value;
                const amount = value?.pct ?? value?.atr ?? (next === "atr" ? 2 : 5);
                set(path, next === "none" ? null : { [next]: amount });
              }}
              data={["none", "pct", "atr"].map((m) => ({ value: m, label: t(`risk.modes.${m}`) }))}
              error={own.length ? own.join("; ") : undefined}
              style={{ flex: "0 1 12rem" }}
            />
            {mode !== "none" && (
              <Box style={{ flex: "1 1 12rem" }}>
                <NumberOrParam path={[...path, mode]} label={mode === "pct" ? t("risk.pct") : t("risk.atr")} />
              </Box>
            )}
          </Group>
        );
      })}
      <Box maw={360}>
        <NumberOrParam path={["risk", "atr_window"]} label={t("risk.atrWindow")} integer />
      </Box>
    </Stack>
  );
}

export function CostsEditor() {
  const { t } = useTranslation("strategies");
  return (
    <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs">
      <NumberField path={["costs", "commission"]} label={t("costs.commission")} description={t("costs.commissionHint")} min={0} />
      <NumberField path={["costs", "commission_fixed"]} label={t("costs.commissionFixed")} description={t("costs.commissionFixedHint")} min={0} />
      <NumberField path={["costs", "slippage_bps"]} label={t("costs.slippage")} description={t("costs.slippageHint")} min={0} />
    </SimpleGrid>
  );
}

export function ExecutionEditor() {
  const { t } = useTranslation("strategies");
  return (
    <Group gap="xs" align="flex-start" wrap="wrap">
      <Box style={{ flex: "0 1 14rem" }}>
        <ChoiceField path={["execution", "fill"]} label={t("execution.fill")} options={FILLS} labelOf={(f) => t(`execution.fills.${f}`)} fallback="next_open" />
      </Box>
      <BooleanField path={["execution", "close_at_end"]} label={t("execution.closeAtEnd")} />
    </Group>
  );
}
