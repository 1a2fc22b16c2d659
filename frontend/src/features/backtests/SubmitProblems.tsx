/** A run form's refused submission, shown where it belongs (the backtest and pipeline run forms):
 * each of the server's messages at the form field its body path names, a message about one item
 * of the symbols list prefixed by that symbol, a job cap (429) as its own alert with the wait the
 * server gave, and whatever names no field in one alert under the button. */
import { Alert, Text } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client";
import { useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { SubmitProblem } from "./api";

export interface Located {
  /** Messages by form field. */
  out: Record<string, string[]>;
  /** Messages that name no field of the form. */
  rest: string[];
}

/** The refusal's messages by form field; `fieldOf` maps a body path (`universe.symbols.2`) to a field
 * of the form or null. `at(field)` is what a field shows as its error. */
export function useLocatedProblems(error: unknown, fieldOf: (path: string) => string | null, symbols: string[]) {
  const problem = error instanceof ApiProblem ? error : null;
  const located = useMemo<Located>(() => {
    const out: Record<string, string[]> = {};
    const rest: string[] = [];
    if (!problem || problem.status === 429) return { out, rest };
    for (const [path, messages] of Object.entries(problem.byField())) {
      const field = fieldOf(path);
      const parts = path.split(".");
      const item = parts[parts.indexOf("symbols") + 1];
      const named = (m: string) => (parts.includes("symbols") && item !== undefined ? `${symbols[Number(item)] ?? item}: ${m}` : m);
      if (field) (out[field] ??= []).push(...messages.map(named));
      else rest.push(...messages);
    }
    return { out, rest };
  }, [problem, fieldOf, symbols]);
  const at = (field: string) => (located.out[field]?.length ? located.out[field].join(" ") : undefined);
  return { located, at };
}

/** The job-cap alert and the alert for what no field shows; `ns` holds `form.capTitle`,
 * `form.retryAfter` and `form.refused`. */
export function SubmitAlerts({ error, located, ns }: { error: unknown; located: Located; ns: string }) {
  const { t } = useTranslation(ns);
  const format = useFormat();
  const errorMessage = useErrorMessage();
  if (!error) return null;
  if (error instanceof SubmitProblem && error.status === 429)
    return (
      <Alert color="orange" variant="light" title={t("form.capTitle")} role="alert" data-testid="job-cap">
        <Text size="sm">{error.detail ?? error.message}</Text>
        {error.retryAfter !== null && (
          <Text size="sm" fw={600} mt={4}>
            {t("form.retryAfter", { wait: format.duration(error.retryAfter) })}
          </Text>
        )}
      </Alert>
    );
  if (located.rest.length === 0 && Object.keys(located.out).length > 0) return null;
  return (
    <Alert color="red" variant="light" title={t("form.refused")} role="alert">
      {located.rest.length ? located.rest.join(" ") : errorMessage(error)}
    </Alert>
  );
}
