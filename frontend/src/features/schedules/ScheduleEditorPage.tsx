/** `/schedules/new`: name, an expression built with the cron helper (or typed), its time zone and
 * next fire times (the server's preview), and the target: a command with its parameter form, a
 * workflow, or a backtest, optimization or pipeline request in the form of its own page (or as JSON).
 * The server checks the target as if submitted now and its messages are shown at their fields. */
import { Button, Grid, Group, NumberInput, Paper, Select, SegmentedControl, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ApiProblem } from "../../api/client";
import { PageHeader, useErrorMessage } from "../../app/Page";
import { useChanged, useUnsavedChangesGuard } from "../../app/useUnsavedChangesGuard";
import { useCatalogue } from "../commands/api";
import { paramErrors, useCommandText } from "../commands/CommandsPage";
import { SchemaForm } from "../commands/SchemaForm";
import { initialValues, type JsonSchema, toParams, type Values } from "../commands/schema";
import { type ScheduleRequest, useCreateSchedule, usePreview } from "./api";
import { DAYS, type Day, DEFAULT_HELPER, expressionOf, type HelperState, type Preset, PRESETS } from "./cron";
import { NextFires } from "./NextFires";
import { useWorkflows } from "../workflows/api";
import { type RequestDraft, RequestEditor, type RequestKind, requestOf } from "../workflows/RequestEditor";
import { NeedsRole } from "../accounts/NeedsRole";

type TargetKind = "command" | "pipeline" | "backtest" | "optimization" | "workflow";
const TARGET_KINDS: TargetKind[] = ["command", "pipeline", "backtest", "optimization", "workflow"];
/** A request's message path (`target.request.space.fast`, or with the union's member as body
 * validation names it: `target.optimization.request.space.fast`) → `space.fast`. */
const REQUEST_PATH = /^target\.(?:(?:backtest|optimization|pipeline)\.)?request(?:\.(.*))?$/;
const NEW_REQUEST: RequestDraft = { request: {}, json: null };

function zones(): string[] {
  const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  return ["UTC", ...supported.filter((zone) => zone !== "UTC")];
}

function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** The server's messages by body path: `name`, `expression`, `timezone`, `target…`. */
function messages(error: unknown): Record<string, string> {
  if (!(error instanceof ApiProblem)) return {};
  return Object.fromEntries(Object.entries(error.byField()).map(([path, list]) => [path, list.join(" ")]));
}

export function ScheduleEditorPage() {
  const { t } = useTranslation("schedules");
  const navigate = useNavigate();
  const message = useErrorMessage();
  const [name, setName] = useState("");
  const [helper, setHelper] = useState<HelperState>(DEFAULT_HELPER);
  const [timezone, setTimezone] = useState<string>(localZone);
  const [enabled, setEnabled] = useState(true);
  const [kind, setKind] = useState<TargetKind>("command");
  const [command, setCommand] = useState<string | null>(null);
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const workflows = useWorkflows();
  const [values, setValues] = useState<Values>({});
  const [draft, setDraft] = useState<RequestDraft>(NEW_REQUEST);
  const [badJson, setBadJson] = useState(false);
  const catalogue = useCatalogue();
  const commandText = useCommandText();
  const create = useCreateSchedule();
  const expression = expressionOf(helper);
  const [debounced] = useDebouncedValue(expression, 300);
  const preview = usePreview(debounced, timezone);
  const zoneList = useMemo(() => zones(), []);
  const { prompt, release } = useUnsavedChangesGuard(useChanged({ name, helper, timezone, enabled, kind, command, workflowId, values, draft }));
  const chosen = catalogue.data?.find((c) => c.name === command);
  const errors = messages(create.error);
  const previewError = preview.error instanceof ApiProblem ? preview.error.at("expression").concat(preview.error.at("timezone")).join(" ") : null;
  const requestErrors: Record<string, string[]> = {};
  for (const [path, text] of Object.entries(errors)) {
    const found = REQUEST_PATH.exec(path);
    if (found) (requestErrors[found[1] ?? ""] ??= []).push(text);
  }
  const targetErrors = Object.entries(errors)
    .filter(([path]) => path.startsWith("target") && !path.startsWith("target.params.") && path !== "target.workflow_id" && !REQUEST_PATH.test(path))
    .map(([path, text]) => `${path.replace(/^target\.?(request\.)?/, "") || t("target")}: ${text}`);
  const located = Object.keys(errors).length > 0;

  const setPreset = (preset: Preset) => setHelper((state) => ({ ...state, preset, custom: preset === "custom" ? expressionOf(state) : state.custom }));

  const submit = () => {
    let target: ScheduleRequest["target"];
    if (kind === "command") {
      target = { kind: "command", command: command ?? "", params: toParams(values) };
    } else if (kind === "workflow") {
      target = { kind: "workflow", workflow_id: workflowId ?? "" };
    } else {
      const request = requestOf(draft);
      setBadJson(request === null);
      if (request === null) return;
      target = { kind, request } as ScheduleRequest["target"];
    }
    create.mutate(
      { name, expression, timezone, enabled, target },
      { onSuccess: (schedule) => (release(), void navigate(`/schedules/${schedule.schedule_id}`)) },
    );
  };

  return (
    <>
      {prompt}
      <PageHeader title={t("newTitle")} description={t("newDescription")} />
      <form
        aria-label={t("newTitle")}
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper p="md" component="section" aria-labelledby="when-title">
              <Title order={2} fz="h4" id="when-title" mb="sm">
                {t("when")}
              </Title>
              <Stack gap="sm">
                <TextInput
                  label={t("name")}
                  required
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  error={errors.name}
                  data-testid="schedule-name"
                />
                <Select
                  label={t("repeat")}
                  data={PRESETS.map((preset) => ({ value: preset, label: t(`presets.${preset}`) }))}
                  value={helper.preset}
                  allowDeselect={false}
                  onChange={(value) => value && setPreset(value as Preset)}
                  data-testid="schedule-preset"
                />
                {(helper.preset === "minutes" || helper.preset === "hours") && (
                  <NumberInput
                    label={t(helper.preset === "minutes" ? "everyMinutes" : "everyHours")}
                    min={1}
                    max={helper.preset === "minutes" ? 1440 : 168}
                    allowDecimal={false}
                    value={helper.every}
                    onChange={(value) => setHelper((state) => ({ ...state, every: typeof value === "number" ? value : 1 }))}
                  />
                )}
                {(helper.preset === "daily" || helper.preset === "weekdays" || helper.preset === "weekly") && (
                  <TextInput
                    label={t("time")}
                    type="time"
                    value={helper.time}
                    onChange={(e) => setHelper((state) => ({ ...state, time: e.currentTarget.value }))}
                  />
                )}
                {helper.preset === "weekly" && (
                  <SegmentedControl
                    aria-label={t("day")}
                    data={DAYS.map((day) => ({ value: day, label: t(`days.${day}`) }))}
                    value={helper.day}
                    onChange={(value) => setHelper((state) => ({ ...state, day: value as Day }))}
                    fullWidth
                    size="xs"
                  />
                )}
                {helper.preset === "once" && (
                  <TextInput
                    label={t("at")}
                    type="datetime-local"
                    step={1}
                    value={helper.at}
                    onChange={(e) => setHelper((state) => ({ ...state, at: e.currentTarget.value }))}
                    data-testid="schedule-at"
                  />
                )}
                {helper.preset === "custom" && (
                  <TextInput
                    label={t("expression")}
                    description={t("expressionHelp")}
                    ff="monospace"
                    value={helper.custom}
                    onChange={(e) => setHelper((state) => ({ ...state, custom: e.currentTarget.value }))}
                    data-testid="schedule-expression"
                  />
                )}
                <Text size="sm">
                  {t("expressionIs")}{" "}
                  <Text span ff="monospace" data-testid="schedule-expression-value">
                    {expression || "—"}
                  </Text>
                </Text>
                {(errors.expression || previewError) && (
                  <Text size="sm" c="red" role="alert">
                    {errors.expression || previewError}
                  </Text>
                )}
                <Select
                  label={t("timezone")}
                  data={zoneList}
                  searchable
                  value={timezone}
                  allowDeselect={false}
                  onChange={(value) => value && setTimezone(value)}
                  error={errors.timezone}
                />
                <div>
                  <Text size="sm" fw={500}>
                    {t("nextFires")}
                  </Text>
                  <NextFires times={preview.data?.next_fire_times ?? []} testId="preview-fires" />
                </div>
                <Switch label={t("startEnabled")} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper p="md" component="section" aria-labelledby="what-title">
              <Title order={2} fz="h4" id="what-title" mb="sm">
                {t("what")}
              </Title>
              <Stack gap="sm">
                <Select
                  label={t("targetKind")}
                  data={TARGET_KINDS.map((value) => ({ value, label: t(`kinds.${value}`) }))}
                  value={kind}
                  allowDeselect={false}
                  onChange={(value) => {
                    if (!value) return;
                    setKind(value as TargetKind);
                    setDraft(NEW_REQUEST);
                  }}
                  data-testid="schedule-kind"
                />
                {kind === "command" ? (
                  <>
                    <Select
                      label={t("command")}
                      data={(catalogue.data ?? []).map((c) => ({ value: c.name, label: commandText.plain(c, "title") }))}
                      value={command}
                      onChange={(value) => {
                        setCommand(value);
                        const found = catalogue.data?.find((c) => c.name === value);
                        setValues(found ? initialValues(found.params_schema as JsonSchema) : {});
                      }}
                      error={errors["target.command"]}
                      data-testid="schedule-command"
                    />
                    {chosen && (
                      <SchemaForm
                        schema={chosen.params_schema as JsonSchema}
                        values={values}
                        onChange={setValues}
                        errors={paramErrors(create.error)}
                        idPrefix="schedule-param"
                      />
                    )}
                  </>
                ) : kind === "workflow" ? (
                  <Select
                    label={t("workflow")}
                    data={(workflows.data?.items ?? []).map((w) => ({ value: w.workflow_id, label: w.name }))}
                    value={workflowId}
                    onChange={setWorkflowId}
                    error={errors["target.workflow_id"]}
                    data-testid="schedule-workflow"
                  />
                ) : (
                  <RequestEditor
                    key={kind}
                    kind={kind as RequestKind}
                    draft={draft}
                    onChange={setDraft}
                    errors={requestErrors}
                    badJson={badJson}
                    testId="schedule-request"
                  />
                )}
                {targetErrors.length > 0 && (
                  <Stack gap={2} role="alert">
                    {targetErrors.map((text) => (
                      <Text key={text} size="sm" c="red" style={{ overflowWrap: "anywhere" }}>
                        {text}
                      </Text>
                    ))}
                  </Stack>
                )}
              </Stack>
            </Paper>
          </Grid.Col>
        </Grid>
        {create.error && !located ? (
          <Text c="red" size="sm" role="alert" mt="sm">
            {message(create.error)}
          </Text>
        ) : null}
        <Group mt="md">
          <NeedsRole role="researcher">
            <Button type="submit" loading={create.isPending} data-testid="schedule-create">
              {t("create")}
            </Button>
          </NeedsRole>
        </Group>
      </form>
    </>
  );
}

export default ScheduleEditorPage;
