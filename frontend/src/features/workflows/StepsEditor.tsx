/** The steps editor: add, remove and reorder steps; each step a label, a kind and its job request (a
 * command's parameter form from the catalogue's schema; a backtest, optimization or pipeline run in
 * the form of its own page, or as JSON). The server's messages are shown at the step and field they
 * name (`steps.1.target.params.days`, `steps.1.target.request.params.fast`). */
import { ActionIcon, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client";
import { useCatalogue } from "../commands/api";
import { useCommandText } from "../commands/CommandsPage";
import { SchemaForm } from "../commands/SchemaForm";
import { initialValues, type JsonSchema } from "../commands/schema";
import { MAX_STEPS, move, newStep, STEP_KINDS, type StepDraft, type StepKind } from "./drafts";
import { RequestEditor } from "./RequestEditor";

/** A request's message path: `target.request.params.fast` (or with the kind, as body validation
 * names the union's member: `target.backtest.request.params.fast`) → `params.fast`. */
const REQUEST_PATH = /^target\.(?:(?:backtest|optimization|pipeline)\.)?request(?:\.(.*))?$/;

/** The server's messages by dotted body path (`name`, `steps.0.target.params.days`). */
export function fieldMessages(error: unknown): Record<string, string[]> {
  return error instanceof ApiProblem ? error.byField() : {};
}

function stepMessages(messages: Record<string, string[]>, index: number) {
  const prefix = `steps.${index}.`;
  const params: Record<string, string[]> = {};
  const request: Record<string, string[]> = {};
  const other: string[] = [];
  let command: string | undefined;
  let name: string | undefined;
  for (const [path, list] of Object.entries(messages)) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const inRequest = REQUEST_PATH.exec(rest);
    if (inRequest) (request[inRequest[1] ?? ""] ??= []).push(...list);
    else if (rest.startsWith("target.params.")) (params[rest.slice("target.params.".length).split(".")[0]] ??= []).push(...list);
    else if (rest === "target.command") command = list.join(" ");
    else if (rest === "name") name = list.join(" ");
    else other.push(`${rest.replace(/^target\.?(request\.)?/, "") || "request"}: ${list.join(" ")}`);
  }
  return { params, request, other, command, name };
}

export function StepsEditor({
  steps,
  onChange,
  error,
  badJson,
}: {
  steps: StepDraft[];
  onChange: (steps: StepDraft[]) => void;
  error: unknown;
  badJson: string[];
}) {
  const { t } = useTranslation("workflows");
  const catalogue = useCatalogue();
  const commandText = useCommandText();
  const messages = fieldMessages(error);
  const update = (index: number, patch: Partial<StepDraft>) => onChange(steps.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const stepsError = messages.steps?.join(" ");
  return (
    <Stack gap="sm">
      {steps.map((step, index) => {
        const located = stepMessages(messages, index);
        const chosen = catalogue.data?.find((c) => c.name === step.command);
        return (
          <Paper key={step.key} p="sm" withBorder component="section" aria-label={t("stepN", { n: index + 1 })} data-testid="workflow-step">
            <Group justify="space-between" mb="xs" wrap="nowrap">
              <Title order={3} fz="h5">
                {t("stepN", { n: index + 1 })}
              </Title>
              <Group gap={4} wrap="nowrap">
                <ActionIcon
                  variant="subtle"
                  aria-label={t("moveUp", { n: index + 1 })}
                  disabled={index === 0}
                  onClick={() => onChange(move(steps, index, index - 1))}
                >
                  <IconArrowUp size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  aria-label={t("moveDown", { n: index + 1 })}
                  disabled={index === steps.length - 1}
                  onClick={() => onChange(move(steps, index, index + 1))}
                >
                  <IconArrowDown size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t("removeStep", { n: index + 1 })}
                  disabled={steps.length === 1}
                  onClick={() => onChange(steps.filter((_, i) => i !== index))}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Group>
            <Stack gap="sm">
              <Group grow align="flex-start">
                <TextInput label={t("stepName")} value={step.name} onChange={(e) => update(index, { name: e.currentTarget.value })} error={located.name} />
                <Select
                  label={t("stepKind")}
                  data={STEP_KINDS.map((value) => ({ value, label: t(`kinds.${value}`) }))}
                  value={step.kind}
                  allowDeselect={false}
                  onChange={(value) => {
                    if (!value) return;
                    const kind = value as StepKind;
                    update(index, { kind, request: {}, json: null });
                  }}
                  data-testid="step-kind"
                />
              </Group>
              {step.kind === "command" ? (
                <>
                  <Select
                    label={t("command")}
                    data={(catalogue.data ?? []).map((c) => ({ value: c.name, label: commandText.plain(c, "title") }))}
                    value={step.command}
                    onChange={(value) => {
                      const found = catalogue.data?.find((c) => c.name === value);
                      update(index, { command: value, values: found ? initialValues(found.params_schema as JsonSchema) : {} });
                    }}
                    error={located.command}
                    data-testid="step-command"
                  />
                  {chosen && (
                    <SchemaForm
                      schema={chosen.params_schema as JsonSchema}
                      values={step.values}
                      onChange={(values) => update(index, { values })}
                      errors={located.params}
                      idPrefix={`${step.key}-param`}
                    />
                  )}
                </>
              ) : (
                <RequestEditor
                  key={step.kind}
                  kind={step.kind}
                  draft={step}
                  onChange={(draft) => update(index, draft)}
                  errors={located.request}
                  badJson={badJson.includes(step.key)}
                  testId="step-request"
                />
              )}
              {located.other.length > 0 && (
                <Stack gap={2} role="alert">
                  {located.other.map((text) => (
                    <Text key={text} size="sm" c="red" style={{ overflowWrap: "anywhere" }}>
                      {text}
                    </Text>
                  ))}
                </Stack>
              )}
            </Stack>
          </Paper>
        );
      })}
      {stepsError && (
        <Text size="sm" c="red" role="alert">
          {stepsError}
        </Text>
      )}
      <Group>
        <Button variant="light" disabled={steps.length >= MAX_STEPS} onClick={() => onChange([...steps, newStep()])} data-testid="add-step">
          {t("addStep")}
        </Button>
      </Group>
    </Stack>
  );
}
