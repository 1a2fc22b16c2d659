/** A parameter form generated from a JSON schema: a Mantine input per property type (integers and
 * numbers, switches, selects for enums, dates, tag lists, text), with the server's messages at their
 * fields (`errors` keyed by the property name). */
import { NumberInput, Select, Stack, Switch, TagsInput, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { fields, type JsonSchema, type Values } from "./schema";

export function SchemaForm({
  schema,
  values,
  onChange,
  errors = {},
  idPrefix,
}: {
  schema: JsonSchema;
  values: Values;
  onChange: (values: Values) => void;
  errors?: Record<string, string[]>;
  idPrefix: string;
}) {
  const { t, i18n } = useTranslation("commands");
  const set = (name: string, value: unknown) => onChange({ ...values, [name]: value });
  return (
    <Stack gap="sm">
      {fields(schema).map((field) => {
        const id = `${idPrefix}-${field.name}`;
        const common = {
          id,
          // A parameter the app knows is labelled in the reader's language; another shows the
          // server's title. The server's description is its own text (not translated).
          label: i18n.exists(`commands:params.${field.name}`) ? t(`params.${field.name}`) : field.label,
          description: field.description ? <span translate="no">{field.description}</span> : undefined,
          withAsterisk: field.required,
          error: errors[field.name]?.join(" ") || undefined,
        };
        const value = values[field.name];
        switch (field.kind) {
          case "integer":
          case "number":
            return (
              <NumberInput
                key={field.name}
                {...common}
                min={field.min}
                max={field.max}
                allowDecimal={field.kind === "number"}
                value={typeof value === "number" ? value : ""}
                onChange={(next) => set(field.name, typeof next === "number" ? next : undefined)}
              />
            );
          case "boolean": {
            // A switch always holds a value, and Mantine's Switch has no asterisk (it would reach the DOM).
            const { withAsterisk: _required, ...switchProps } = common;
            return <Switch key={field.name} {...switchProps} checked={value === true} onChange={(event) => set(field.name, event.currentTarget.checked)} />;
          }
          case "choice":
            return (
              <Select
                key={field.name}
                {...common}
                data={field.choices}
                clearable={!field.required}
                value={value === undefined || value === null ? null : String(value)}
                onChange={(next) => set(field.name, next ?? undefined)}
              />
            );
          case "list":
            return <TagsInput key={field.name} {...common} value={Array.isArray(value) ? value.map(String) : []} onChange={(next) => set(field.name, next)} />;
          case "date":
            return (
              <TextInput
                key={field.name}
                {...common}
                type="date"
                value={typeof value === "string" ? value : ""}
                onChange={(event) => set(field.name, event.currentTarget.value)}
              />
            );
          default:
            return (
              <TextInput
                key={field.name}
                {...common}
                value={typeof value === "string" ? value : ""}
                onChange={(event) => set(field.name, event.currentTarget.value)}
              />
            );
        }
      })}
    </Stack>
  );
}
