/** Form fields from a command's parameter JSON schema (pydantic's `model_json_schema()`): one field per
 * property, its kind read from `type`, `enum`/`const`, `format` and `anyOf` (a nullable value). */

export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  title?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

export type FieldKind = "integer" | "number" | "boolean" | "choice" | "date" | "list" | "text";

export interface Field {
  name: string;
  kind: FieldKind;
  label: string;
  description?: string;
  required: boolean;
  choices: string[];
  min?: number;
  max?: number;
  default?: unknown;
}

/** The schema without its `null` alternative (`X | None` in pydantic). */
function unwrapNullable(schema: JsonSchema): JsonSchema {
  const options = (schema.anyOf ?? []).filter((option) => option.type !== "null");
  return options.length === 1 ? { ...options[0], ...schema, anyOf: undefined, type: options[0].type } : schema;
}

export function fieldKind(raw: JsonSchema): { kind: FieldKind; choices: string[] } {
  const schema = unwrapNullable(raw);
  const choices = schema.enum ?? (schema.const !== undefined ? [schema.const] : undefined);
  if (choices) return { kind: "choice", choices: choices.map(String) };
  if (schema.type === "integer") return { kind: "integer", choices: [] };
  if (schema.type === "number") return { kind: "number", choices: [] };
  if (schema.type === "boolean") return { kind: "boolean", choices: [] };
  if (schema.type === "array") return { kind: "list", choices: [] };
  if (schema.type === "string" && schema.format === "date") return { kind: "date", choices: [] };
  return { kind: "text", choices: [] };
}

export function fields(schema: JsonSchema): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, raw]) => {
    const property = unwrapNullable(raw);
    const { kind, choices } = fieldKind(raw);
    return {
      name,
      kind,
      choices,
      label: raw.title ?? property.title ?? name,
      description: raw.description ?? property.description,
      required: required.has(name),
      min: property.minimum,
      max: property.maximum,
      default: raw.default ?? property.default,
    };
  });
}

export type Values = Record<string, unknown>;

/** The defaults the schema declares (what the server would use when a field is left out). */
export function initialValues(schema: JsonSchema): Values {
  const values: Values = {};
  for (const field of fields(schema)) if (field.default !== undefined && field.default !== null) values[field.name] = field.default;
  return values;
}

/** The body's `params`: empty fields left out, so the server's defaults and messages apply. */
export function toParams(values: Values): Values {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== "" && value !== null && !(Array.isArray(value) && value.length === 0)),
  );
}
