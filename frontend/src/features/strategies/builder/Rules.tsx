/** Rules and their conditions: comparisons, ranges and all/any/not groups nested to any depth. */
import { ActionIcon, Box, Button, Group, NativeSelect, NumberInput, Paper, Stack, Switch, Text, TextInput } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { fieldId } from "../locate";
import { ACTIONS, CONDITION_OPS, type Condition, conditionWithOp, freshName, getIn, newRule, type Path, type Rule } from "../model";
import { useBuilder } from "./context";
import { ChoiceField, OperandInput } from "./fields";
import { SectionProblems } from "./Section";

export const OP_KEYS: Record<Condition["op"], string> = {
  ">": "gt",
  "<": "lt",
  ">=": "ge",
  "<=": "le",
  crosses_above: "crosses_above",
  crosses_below: "crosses_below",
  between: "between",
  all: "all",
  any: "any",
  not: "not",
};

export function RulesEditor() {
  const { t } = useTranslation("strategies");
  const { doc, replace } = useBuilder();
  const rules: Rule[] = Array.isArray(doc.rules) ? doc.rules : [];
  const move = (from: number, to: number) => {
    const next = rules.slice();
    const [taken] = next.splice(from, 1);
    next.splice(to, 0, taken);
    replace({ ...doc, rules: next });
  };
  return (
    <Stack gap="sm">
      <SectionProblems path={["rules"]} />
      {rules.map((rule, index) => (
        <RuleCard
          key={index}
          index={index}
          rule={rule}
          count={rules.length}
          onMove={move}
          onRemove={() => replace({ ...doc, rules: rules.filter((_, i) => i !== index) })}
        />
      ))}
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() =>
            replace({
              ...doc,
              rules: [
                ...rules,
                newRule(
                  freshName(
                    "rule",
                    rules.map((r) => r?.id),
                  ),
                ),
              ],
            })
          }
        >
          {t("rules.add")}
        </Button>
      </Group>
    </Stack>
  );
}

function RuleCard({
  index,
  rule,
  count,
  onMove,
  onRemove,
}: {
  index: number;
  rule: Rule;
  count: number;
  onMove: (from: number, to: number) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation("strategies");
  const { set, problems } = useBuilder();
  const path: Path = ["rules", index];
  const name = rule?.id || t("rules.untitled", { n: index + 1 });
  const own = problems.at(path);
  return (
    <Paper
      p="sm"
      withBorder
      component="fieldset"
      aria-label={t("rules.ruleLabel", { name })}
      data-testid={`rule-${index}`}
      style={own.length ? { borderColor: "var(--tw-error)" } : undefined}
    >
      <Group gap="xs" align="flex-start" wrap="wrap">
        <TextInput
          id={fieldId([...path, "id"])}
          size="xs"
          label={t("rules.id")}
          value={typeof rule?.id === "string" ? rule.id : ""}
          onChange={(e) => set([...path, "id"], e.currentTarget.value)}
          error={problems.error([...path, "id"])}
          translate="no"
          style={{ flex: "1 1 8rem" }}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        />
        <Box style={{ flex: "1 1 7rem" }}>
          <ChoiceField path={[...path, "action"]} label={t("rules.action")} options={ACTIONS} labelOf={(a) => t(`actions.${a}`)} />
        </Box>
        <NumberInput
          id={fieldId([...path, "priority"])}
          size="xs"
          label={t("rules.priority")}
          value={typeof rule?.priority === "number" ? rule.priority : 0}
          onChange={(v) => set([...path, "priority"], v === "" ? undefined : Number(v))}
          error={problems.error([...path, "priority"])}
          allowDecimal={false}
          style={{ flex: "0 1 6rem" }}
        />
        <Switch
          id={fieldId([...path, "enabled"])}
          size="sm"
          mt={26}
          label={t("rules.enabled")}
          checked={rule?.enabled !== false}
          onChange={(e) => set([...path, "enabled"], e.currentTarget.checked)}
          error={problems.error([...path, "enabled"])}
        />
        <Group gap={4} mt={22} ml="auto" wrap="nowrap">
          <ActionIcon variant="subtle" aria-label={t("rules.moveUp", { name })} disabled={index === 0} onClick={() => onMove(index, index - 1)}>
            <IconArrowUp size={16} />
          </ActionIcon>
          <ActionIcon variant="subtle" aria-label={t("rules.moveDown", { name })} disabled={index === count - 1} onClick={() => onMove(index, index + 1)}>
            <IconArrowDown size={16} />
          </ActionIcon>
          <ActionIcon variant="subtle" color="red" aria-label={t("rules.remove", { name })} onClick={onRemove}>
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      </Group>
      <OwnProblems messages={own} />
      <Text size="xs" fw={600} mt="xs" mb={4}>
        {t("rules.when")}
      </Text>
      <ConditionEditor path={[...path, "when"]} />
    </Paper>
  );
}

function OwnProblems({ messages }: { messages: string[] }) {
  if (!messages.length) return null;
  return (
    <Text size="xs" c="var(--tw-error)" mt={4}>
      {messages.join("; ")}
    </Text>
  );
}

/** One condition at `path`; groups render their children below, indented, each removable. */
export function ConditionEditor({ path, onRemove }: { path: Path; onRemove?: () => void }) {
  const { t } = useTranslation("strategies");
  const { doc, set, problems } = useBuilder();
  const condition = getIn(doc, path) as Condition | undefined;
  const op = (condition && typeof condition === "object" && "op" in condition ? condition.op : ">") as Condition["op"];
  const own = problems.at(path).concat(problems.at([...path, "op"]));
  const opSelect = (
    <NativeSelect
      id={fieldId([...path, "op"])}
      size="xs"
      label={t("conditions.op")}
      value={op}
      onChange={(e) => set(path, conditionWithOp((condition ?? { op: ">", left: "close", right: 0 }) as Condition, e.currentTarget.value as Condition["op"]))}
      data={CONDITION_OPS.map((o) => ({ value: o, label: t(`ops.${OP_KEYS[o]}`) }))}
      error={own.length ? own.join("; ") : undefined}
      style={{ flex: "0 1 11rem" }}
    />
  );
  const remove = onRemove && (
    <ActionIcon variant="subtle" color="red" mt={22} aria-label={t("conditions.remove")} onClick={onRemove}>
      <IconTrash size={16} />
    </ActionIcon>
  );
  if (op === "all" || op === "any" || op === "not") {
    const children: Condition[] = op === "not" ? [] : Array.isArray((condition as { of?: unknown })?.of) ? (condition as { of: Condition[] }).of : [];
    return (
      <Box data-testid={`cond-${path.join("-")}`}>
        <Group gap="xs" align="flex-start" wrap="nowrap">
          {opSelect}
          {remove}
        </Group>
        <Stack gap="xs" mt="xs" pl="sm" style={{ borderLeft: "2px solid var(--mantine-color-default-border)" }}>
          {op === "not" ? (
            <ConditionEditor path={[...path, "of"]} />
          ) : (
            <>
              {children.map((_, i) => (
                <ConditionEditor
                  key={i}
                  path={[...path, "of", i]}
                  onRemove={
                    children.length > 1
                      ? () =>
                          set(
                            [...path, "of"],
                            children.filter((_, k) => k !== i),
                          )
                      : undefined
                  }
                />
              ))}
              <Group>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  leftSection={<IconPlus size={12} />}
                  onClick={() => set([...path, "of"], [...children, { op: ">", left: "close", right: 0 }])}
                >
                  {t("conditions.add")}
                </Button>
              </Group>
            </>
          )}
        </Stack>
      </Box>
    );
  }
  return (
    <Group gap="xs" align="flex-start" wrap="wrap" data-testid={`cond-${path.join("-")}`}>
      {op === "between" ? (
        <>
          <OperandInput path={[...path, "left"]} label={t("conditions.value")} />
          {opSelect}
          <OperandInput path={[...path, "lower"]} label={t("conditions.lower")} />
          <OperandInput path={[...path, "upper"]} label={t("conditions.upper")} />
        </>
      ) : (
        <>
          <OperandInput path={[...path, "left"]} label={t("conditions.left")} />
          {opSelect}
          <OperandInput path={[...path, "right"]} label={t("conditions.right")} />
        </>
      )}
      {remove}
    </Group>
  );
}
