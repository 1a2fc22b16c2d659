import { Fieldset, Group, SegmentedControl, Text, TextInput } from "@mantine/core";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../i18n/format";
import { countOf, type Mode, type ParamField as Field, type ParamSpec, type Part, type SpaceProblem } from "./space";

interface Props {
  name: string;
  spec: ParamSpec;
  field: Field;
  problems: SpaceProblem[];
  /** The server's messages at `["body", "space", name]`. */
  serverErrors: string[];
  onChange: (field: Field) => void;
}

/** One parameter of the space: its allowed range up front, then a range, a list or one value, each
 * problem at its own input (marked, and described for screen readers). */
export function ParamFieldEditor({ name, spec, field, problems, serverErrors, onChange }: Props) {
  const { t } = useTranslation("optimizations");
  const format = useFormat();
  const testId = `param-${name}`;
  // Unique per instance: a workflow's steps may hold two forms with the same parameter.
  const id = `${useId()}-${testId}`;
  const integer = (spec.type ?? "int") === "int";
  const allowed =
    spec.min !== null && spec.min !== undefined && spec.max !== null && spec.max !== undefined
      ? t("form.allowed", { range: `${format.number(spec.min, 6)} – ${format.number(spec.max, 6)}` })
      : spec.choices?.length
        ? t("form.allowed", { range: `{${spec.choices.map((c) => format.number(c, 6)).join(", ")}}` })
        : t("form.allowedAny");
  const errorOf = (part: Part) => {
    const found = problems.filter((p) => p.part === part).map((p) => t(`form.problems.${p.code}`, { name, ...p.values }));
    return found.length ? found.join("; ") : undefined;
  };
  const set = (part: keyof Field, value: string) => onChange({ ...field, [part]: value });
  const count = problems.length ? null : countOf(field);
  const input = (part: "min" | "max" | "step" | "list" | "value", hint?: string) => (
    <TextInput
      key={part}
      id={`${id}-${part}`}
      label={t(`form.${part}`, { name })}
      description={hint}
      inputMode={integer ? "numeric" : "decimal"}
      value={field[part]}
      onChange={(e) => set(part, e.currentTarget.value)}
      error={errorOf(part)}
      miw={0}
      style={{ flex: part === "list" ? "1 1 100%" : "1 1 80px" }}
    />
  );
  return (
    <Fieldset
      legend={
        <Text span fw={600} translate="no">
          {name}
        </Text>
      }
      p="xs"
      data-testid={testId}
      aria-describedby={[`${id}-allowed`, ...(serverErrors.length ? [`${id}-server`] : [])].join(" ")}
    >
      {/* under the legend, not in it: a long line (French) would wrap across the frame's border */}
      <Text size="xs" c="dimmed" mb={6} id={`${id}-allowed`}>
        {[allowed, t(integer ? "form.integer" : "form.float"), t("form.defaultValue", { value: format.number(spec.default, 6) })].join(" · ")}
      </Text>
      <Group gap="xs" align="flex-start" wrap="wrap">
        <SegmentedControl
          size="xs"
          value={field.mode}
          onChange={(mode) => onChange({ ...field, mode: mode as Mode })}
          aria-label={t("form.mode", { name })}
          data={(["range", "list", "fixed"] as const).map((mode) => ({ value: mode, label: t(`form.modes.${mode}`) }))}
        />
        {count !== null && (
          <Text size="xs" c="dimmed" className="tw-num" mt={4} data-testid={`${testId}-count`}>
            {t("form.valuesCount", { count, formatted: format.integer(count) })}
          </Text>
        )}
      </Group>
      <Group gap="xs" mt={6} align="flex-start" wrap="wrap">
        {field.mode === "range" && [input("min"), input("max"), input("step")]}
        {field.mode === "list" && input("list", t("form.listHint"))}
        {field.mode === "fixed" && input("value")}
      </Group>
      {serverErrors.length > 0 && (
        <Text id={`${id}-server`} c="var(--tw-error)" size="sm" mt={4}>
          {serverErrors.join("; ")}
        </Text>
      )}
    </Fieldset>
  );
}
