/** A backtest, optimization or pipeline-run request (a workflow step, a schedule's target) edited with
 * the form of its own page, or as JSON (the advanced view; switching back parses it, a text that is
 * not JSON stays in the JSON view with its message). Each form is its own chunk, fetched when a step
 * of its kind is shown. The server's messages come by the request's paths (`params.fast`). */
import { Loader, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";

export type RequestKind = "pipeline" | "backtest" | "optimization";

const EDITORS = {
  backtest: lazy(() => import("../backtests/BacktestRequestEditor")),
  optimization: lazy(() => import("../optimizations/OptimizationRequestEditor")),
  pipeline: lazy(() => import("../pipeline/PipelineRequestEditor")),
};

/** Where a request stands: its object, and its text while the JSON view is open (else null). */
export interface RequestDraft {
  request: Record<string, unknown>;
  json: string | null;
}

/** The request a draft holds, or null when its JSON view holds no JSON object. */
export function requestOf(draft: RequestDraft): Record<string, unknown> | null {
  if (draft.json === null) return draft.request;
  try {
    const parsed: unknown = JSON.parse(draft.json);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function RequestEditor({
  kind,
  draft,
  onChange,
  errors,
  badJson,
  testId,
}: {
  kind: RequestKind;
  draft: RequestDraft;
  onChange: (draft: RequestDraft) => void;
  errors: Record<string, string[]>;
  badJson: boolean;
  testId: string;
}) {
  const { t } = useTranslation("workflows");
  const [unparsable, setUnparsable] = useState(false);
  const Editor = EDITORS[kind];
  const view = draft.json === null ? "form" : "json";
  const switchTo = (next: string) => {
    if (next === view) return;
    if (next === "json") return onChange({ ...draft, json: JSON.stringify(draft.request, null, 2) });
    const request = requestOf(draft);
    setUnparsable(request === null);
    if (request) onChange({ request, json: null });
  };
  return (
    <Stack gap="xs">
      <SegmentedControl
        aria-label={t("editAs")}
        size="xs"
        value={view}
        onChange={switchTo}
        data={[
          { value: "form", label: t("formView") },
          { value: "json", label: t("jsonView") },
        ]}
        style={{ alignSelf: "flex-start" }}
        data-testid={`${testId}-view`}
      />
      {draft.json === null ? (
        <Suspense fallback={<Loader size="sm" aria-label={t("loadingForm")} />}>
          <Editor value={draft.request} onChange={(request) => onChange({ request, json: null })} errors={errors} />
        </Suspense>
      ) : (
        <>
          <Textarea
            label={t("request")}
            description={t("requestHelp")}
            rows={8}
            ff="monospace"
            value={draft.json}
            onChange={(e) => onChange({ ...draft, json: e.currentTarget.value })}
            error={badJson || unparsable ? t("badJson") : undefined}
            data-testid={testId}
          />
          {Object.entries(errors).map(([path, list]) => (
            <Text key={path} size="sm" c="red" role="alert" style={{ overflowWrap: "anywhere" }}>
              {`${path || t("request")}: ${list.join(" ")}`}
            </Text>
          ))}
        </>
      )}
    </Stack>
  );
}
