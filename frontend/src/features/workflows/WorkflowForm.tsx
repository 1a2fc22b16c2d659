/** Name, description and steps of a workflow, saved through `onSave` (create or a versioned update);
 * the server's messages at their fields, a stale version's 409 as an alert. */
import { Button, Group, Paper, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useErrorMessage } from "../../app/Page";
import { useChanged, useUnsavedChangesGuard } from "../../app/useUnsavedChangesGuard";
import type { WorkflowRequest } from "./api";
import { type StepDraft, toSteps } from "./drafts";
import { fieldMessages, StepsEditor } from "./StepsEditor";
import { NeedsRole } from "../accounts/NeedsRole";

export function WorkflowForm({
  initial,
  onSave,
  saving,
  error,
  saveLabel,
}: {
  initial: { name: string; description: string; steps: StepDraft[] };
  onSave: (body: WorkflowRequest, release: () => void) => void;
  saving: boolean;
  error: unknown;
  saveLabel: string;
}) {
  const { t } = useTranslation("workflows");
  const message = useErrorMessage();
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [steps, setSteps] = useState<StepDraft[]>(initial.steps);
  const [badJson, setBadJson] = useState<string[]>([]);
  const { prompt, release } = useUnsavedChangesGuard(useChanged({ name, description, steps }));
  const messages = fieldMessages(error);
  const located = Object.keys(messages).length > 0;
  const stale = messages.version?.join(" ");

  const submit = () => {
    const converted = toSteps(steps);
    if ("badJson" in converted) {
      setBadJson(converted.badJson);
      return;
    }
    setBadJson([]);
    onSave({ name, description: description.trim() || null, steps: converted.steps }, release);
  };

  return (
    <form
      aria-label={t("editorTitle")}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {prompt}
      <Stack gap="md">
        <Paper p="md" component="section" aria-label={t("about")}>
          <Stack gap="sm">
            <TextInput
              label={t("name")}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={messages.name?.join(" ")}
              data-testid="workflow-name"
            />
            <Textarea
              label={t("descriptionField")}
              rows={2}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              error={messages.description?.join(" ")}
            />
          </Stack>
        </Paper>
        <StepsEditor steps={steps} onChange={setSteps} error={error} badJson={badJson} />
        {stale && (
          <Text c="red" size="sm" role="alert">
            {stale}
          </Text>
        )}
        {error && !located ? (
          <Text c="red" size="sm" role="alert">
            {message(error)}
          </Text>
        ) : null}
        <Group>
          <NeedsRole role="researcher">
            <Button type="submit" loading={saving} data-testid="workflow-save">
              {saveLabel}
            </Button>
          </NeedsRole>
        </Group>
      </Stack>
    </form>
  );
}
