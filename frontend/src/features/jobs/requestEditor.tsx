import { Text } from "@mantine/core";
import { useEffect, useMemo } from "react";

/** What a job request editor takes (the backtest, optimization and pipeline-run forms used inside a
 * workflow step or a schedule's target): the request, its changes, and the server's messages by the
 * request's own dotted paths (`params.fast`, `space.slow`). */
export interface RequestEditorProps {
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  errors: Record<string, string[]>;
}

/** A message at a path no field shows, as listed under the fields. */
export function unplaced(path: string, messages: string[]): string {
  return `${path || "request"}: ${messages.join(" ")}`;
}

/** The server's messages split by the form's own `fieldOf`: `at(field)` for a field, `rest` for
 * the paths no field shows. */
export function useLocatedErrors(errors: Record<string, string[]>, fieldOf: (path: string) => string | null) {
  const { out, rest } = useMemo(() => {
    const out: Record<string, string[]> = {};
    const rest: string[] = [];
    for (const [path, list] of Object.entries(errors)) {
      const field = fieldOf(path);
      if (field) (out[field] ??= []).push(...list);
      else rest.push(unplaced(path, list));
    }
    return { out, rest };
  }, [errors, fieldOf]);
  const at = (field: string) => (out[field]?.length ? out[field].join(" ") : undefined);
  return { at, rest };
}

/** Sends the form's `request` (JSON) out once the form was edited, or while the saved value lacks
 * what the form fills in by default (a new step): a saved request only shown stays as it was. */
export function useSendWhenEdited({ value, onChange }: RequestEditorProps, request: string | null, edited: boolean, incomplete: boolean) {
  useEffect(() => {
    if (request !== null && (edited || incomplete) && request !== JSON.stringify(value)) onChange(JSON.parse(request) as Record<string, unknown>);
  }, [request, edited, incomplete, value, onChange]);
}

/** The messages no field shows, under the fields. */
export function UnplacedErrors({ messages }: { messages: string[] }) {
  return messages.map((text) => (
    <Text key={text} size="sm" c="red" role="alert">
      {text}
    </Text>
  ));
}
