/** The builder's inputs: each bound to a document path, labelled, with its problems shown at it. */
import { Autocomplete, Group, NativeSelect, NumberInput, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { fieldId } from "../locate";
import { getIn, IDENTIFIER, isParamRef, operandKind, type OperandKind, type Path } from "../model";
import { useBuilder } from "./context";

/** Local text for an input that commits only sensible values: reset whenever `value` changes outside. */
export function useDraft<T>(value: T): [T, (next: T) => void] {
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setDraft(value);
  }
  return [draft, setDraft];
}

const asNumber = (value: unknown): number | string => (typeof value === "number" ? value : "");

/** A number at `path`; clearing it removes an optional key (or leaves null for a required one). */
export function NumberField({
  path,
  label,
  optional = true,
  integer = false,
  min,
  description,
}: {
  path: Path;
  label: string;
  optional?: boolean;
  integer?: boolean;
  min?: number;
  description?: string;
}) {
  const { doc, set, problems } = useBuilder();
  return (
    <NumberInput
      id={fieldId(path)}
      size="xs"
      label={label}
      description={description}
      value={asNumber(getIn(doc, path))}
      onChange={(value) => set(path, value === "" ? (optional ? undefined : null) : typeof value === "number" ? value : Number(value))}
      error={problems.error(path)}
      allowDecimal={!integer}
      min={min}
      hideControls
    />
  );
}

export function TextField({ path, label, optional = false }: { path: Path; label: string; optional?: boolean }) {
  const { doc, set, problems } = useBuilder();
  const value = getIn(doc, path);
  return (
    <TextInput
      id={fieldId(path)}
      size="xs"
      label={label}
      value={typeof value === "string" ? value : ""}
      onChange={(e) => set(path, optional && !e.currentTarget.value ? undefined : e.currentTarget.value)}
      error={problems.error(path)}
    />
  );
}

export function ChoiceField<T extends string>({
  path,
  label,
  options,
  labelOf,
  fallback,
}: {
  path: Path;
  label: string;
  options: readonly T[];
  labelOf: (value: T) => string;
  fallback?: T;
}) {
  const { doc, set, problems } = useBuilder();
  const value = getIn(doc, path);
  const current = typeof value === "string" ? value : (fallback ?? "");
  const known = (options as readonly string[]).includes(current);
  return (
    <NativeSelect
      id={fieldId(path)}
      size="xs"
      label={label}
      value={current}
      onChange={(e) => set(path, e.currentTarget.value)}
      error={problems.error(path)}
      data={[...(known ? [] : [{ value: current, label: current }]), ...options.map((o) => ({ value: o, label: labelOf(o) }))]}
    />
  );
}

/** An object key (a parameter's or an indicator's name): edited as a draft, committed when it is a
 * free identifier, so a half-typed or duplicate name never loses the entry. */
export function KeyInput({
  value,
  taken,
  label,
  onRename,
  path,
}: {
  value: string;
  taken: string[];
  label: string;
  onRename: (to: string) => void;
  path: Path;
}) {
  const { t } = useTranslation("strategies");
  const { problems } = useBuilder();
  const [draft, setDraft] = useDraft(value);
  const local = draft === value ? null : !IDENTIFIER.test(draft) ? t("builder.badName") : taken.includes(draft) ? t("builder.nameTaken") : null;
  const error = local ?? problems.error(path, false);
  return (
    <TextInput
      id={fieldId(path)}
      size="xs"
      label={label}
      value={draft}
      translate="no"
      onChange={(e) => {
        const next = e.currentTarget.value;
        setDraft(next);
        if (IDENTIFIER.test(next) && !taken.includes(next)) onRename(next);
      }}
      onBlur={() => setDraft(value)}
      error={error}
      styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
    />
  );
}

/** A value that may be a number or a `{"param": name}` reference (indicator params, sizing, risk). */
export function NumberOrParam({ path, label, integer = false }: { path: Path; label: string; integer?: boolean }) {
  return <OperandInput path={path} label={label} kinds={["number", "param"]} integer={integer} />;
}

/** A condition operand: a series, a number or a parameter reference, with its kind chosen first. */
export function OperandInput({
  path,
  label,
  kinds = ["series", "number", "param"],
  integer = false,
}: {
  path: Path;
  label: string;
  kinds?: OperandKind[];
  integer?: boolean;
}) {
  const { t } = useTranslation("strategies");
  const { doc, set, problems, series, parameters } = useBuilder();
  const value = getIn(doc, path);
  const kind = value === undefined || value === null ? kinds[0] : operandKind(value);
  const error = problems.error(path);
  const id = fieldId(path);
  const switchKind = (next: OperandKind) => {
    if (next === "number") set(path, 0);
    else if (next === "param") set(path, { param: parameters[0] ?? "" });
    else set(path, "close");
  };
  let input;
  if (kind === "number") {
    input = (
      <NumberInput
        id={id}
        size="xs"
        label={label}
        value={asNumber(value)}
        onChange={(v) => set(path, v === "" ? null : Number(v))}
        error={error}
        allowDecimal={!integer}
        hideControls
        style={{ flex: "1 1 6rem" }}
      />
    );
  } else if (kind === "param") {
    const current = isParamRef(value) ? value.param : "";
    const options = parameters.includes(current) ? parameters : [current, ...parameters];
    input = (
      <NativeSelect
        id={id}
        size="xs"
        label={label}
        value={current}
        onChange={(e) => set(path, { param: e.currentTarget.value })}
        error={error}
        style={{ flex: "1 1 6rem" }}
        data={options.map((p) => ({ value: p, label: p || t("builder.noParameter") }))}
      />
    );
  } else {
    input = (
      <Autocomplete
        id={id}
        size="xs"
        label={label}
        value={typeof value === "string" ? value : ""}
        onChange={(v) => set(path, v)}
        data={series}
        error={error}
        translate="no"
        style={{ flex: "1 1 7rem" }}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
      />
    );
  }
  return (
    <Group gap={4} align="flex-start" wrap="nowrap" style={{ flex: "1 1 12rem", minWidth: 0 }}>
      {kinds.length > 1 && (
        <NativeSelect
          id={`${id}-kind`}
          size="xs"
          label={t("operand.kind")}
          aria-label={t("operand.kindOf", { label })}
          value={kind}
          onChange={(e) => switchKind(e.currentTarget.value as OperandKind)}
          data={kinds.map((k) => ({ value: k, label: t(`operand.${k}`) }))}
          style={{ flex: "0 0 6.5rem" }}
        />
      )}
      {input}
    </Group>
  );
}
