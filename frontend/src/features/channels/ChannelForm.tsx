/** Create or edit a channel: the fields its kind needs, the events it subscribes to (signals with a
 * minimum strength). Secrets are write-only: when editing, an empty secret field keeps the stored one. */
import { Button, Checkbox, Group, NumberInput, PasswordInput, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client";
import { useErrorMessage } from "../../app/Page";
import { type Channel, type ChannelIn, type ChannelKind, type ChannelUpdate, EVENTS, type EventName, KINDS } from "./api";
import { NeedsRole } from "../accounts/NeedsRole";

interface Draft {
  name: string;
  kind: ChannelKind;
  url: string;
  secret: string;
  rotate: boolean;
  botToken: string;
  chatId: string;
  events: EventName[];
  minStrength: number | string;
}

function initial(channel?: Channel): Draft {
  const signals = channel?.subscriptions.find((s) => s.event === "pipeline.signals");
  return {
    name: channel?.name ?? "",
    kind: channel?.kind ?? "webhook",
    url: "",
    secret: "",
    rotate: false,
    botToken: "",
    chatId: channel?.chat_id ?? "",
    events: channel?.subscriptions.map((s) => s.event) ?? ["job.failed"],
    minStrength: signals?.min_strength ?? "",
  };
}

/** The request body: only what was filled in (an edit leaves out what keeps its stored value). */
export function toBody(draft: Draft, editing: boolean): ChannelIn | ChannelUpdate {
  const subscriptions = EVENTS.filter((e) => draft.events.includes(e)).map((event) => ({
    event,
    min_strength: event === "pipeline.signals" && draft.minStrength !== "" ? Number(draft.minStrength) : null,
  }));
  const filled = (value: string) => (value.trim() ? value.trim() : undefined);
  const body: ChannelUpdate = { name: draft.name.trim(), subscriptions };
  if (!editing) body.kind = draft.kind;
  if (draft.kind === "telegram") {
    body.bot_token = filled(draft.botToken);
    body.chat_id = filled(draft.chatId);
  } else {
    body.url = filled(draft.url);
    if (draft.kind === "webhook") {
      body.secret = filled(draft.secret);
      if (editing && draft.rotate) body.rotate_secret = true;
    }
  }
  return body as ChannelIn | ChannelUpdate;
}

export function ChannelForm({
  channel,
  pending,
  error,
  submitLabel,
  onSave,
}: {
  channel?: Channel;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  onSave: (body: ChannelIn | ChannelUpdate, reset: () => void) => void;
}) {
  const { t } = useTranslation("channels");
  const errorMessage = useErrorMessage();
  const editing = channel !== undefined;
  const [draft, setDraft] = useState<Draft>(() => initial(channel));
  const problem = error instanceof ApiProblem ? error : null;
  const at = (field: string) => {
    const found = problem?.at(field) ?? [];
    return found.length ? found.join("; ") : undefined;
  };
  const located = ["name", "kind", "url", "secret", "rotate_secret", "bot_token", "chat_id", "subscriptions"].some((f) => at(f));
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const keepHint = (hint: string | null | undefined) => (editing ? t("form.keep", { hint: hint ?? "" }) : undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(toBody(draft, editing), () => setDraft({ ...draft, url: "", secret: "", botToken: "", rotate: false }));
  };
  return (
    <form onSubmit={submit} aria-label={submitLabel} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t("form.name")}
          value={draft.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          error={at("name")}
          maxLength={100}
          required
        />
        <div>
          <Text size="sm" fw={500} mb={4} id="channel-kind">
            {t("form.kind")}
          </Text>
          <SegmentedControl
            aria-labelledby="channel-kind"
            value={draft.kind}
            onChange={(kind) => set({ kind: kind as ChannelKind })}
            disabled={editing}
            data={KINDS.map((kind) => ({ value: kind, label: t(`kinds.${kind}`) }))}
          />
          {at("kind") && (
            <Text c="var(--tw-error)" size="xs" role="alert">
              {at("kind")}
            </Text>
          )}
        </div>
        {draft.kind === "telegram" ? (
          <>
            <PasswordInput
              label={t("form.botToken")}
              description={keepHint(channel?.destination) ?? t("form.botTokenHint")}
              value={draft.botToken}
              onChange={(e) => set({ botToken: e.currentTarget.value })}
              error={at("bot_token")}
              autoComplete="off"
            />
            <TextInput
              label={t("form.chatId")}
              description={t("form.chatIdHint")}
              value={draft.chatId}
              onChange={(e) => set({ chatId: e.currentTarget.value })}
              error={at("chat_id")}
            />
          </>
        ) : (
          <PasswordInput
            label={t("form.url")}
            description={keepHint(channel?.destination) ?? t(`form.urlHint.${draft.kind}`)}
            value={draft.url}
            onChange={(e) => set({ url: e.currentTarget.value })}
            error={at("url")}
            autoComplete="off"
          />
        )}
        {draft.kind === "webhook" && (
          <>
            <PasswordInput
              label={t("form.secret")}
              description={keepHint(channel?.secret_hint) ?? t("form.secretHint")}
              value={draft.secret}
              onChange={(e) => set({ secret: e.currentTarget.value, rotate: false })}
              error={at("secret")}
              autoComplete="off"
            />
            {editing && (
              <Checkbox
                label={t("form.rotate")}
                checked={draft.rotate}
                onChange={(e) => set({ rotate: e.currentTarget.checked, secret: "" })}
                error={at("rotate_secret")}
              />
            )}
          </>
        )}
        <Checkbox.Group label={t("form.events")} value={draft.events} onChange={(events) => set({ events: events as EventName[] })} error={at("subscriptions")}>
          <Stack gap={6} mt={6}>
            {EVENTS.map((event) => (
              <Checkbox key={event} value={event} label={t(`events.${event}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
        {draft.events.includes("pipeline.signals") && (
          <NumberInput
            label={t("form.minStrength")}
            description={t("form.minStrengthHint")}
            value={draft.minStrength}
            onChange={(value) => set({ minStrength: value })}
            min={0}
            max={1}
            step={0.05}
            decimalScale={4}
            style={{ maxWidth: "16rem" }}
          />
        )}
        {error != null && !located && (
          <Text c="var(--tw-error)" size="sm" role="alert">
            {errorMessage(error)}
          </Text>
        )}
        <Group>
          <NeedsRole role="admin">
            <Button type="submit" loading={pending} disabled={!draft.name.trim()}>
              {submitLabel}
            </Button>
          </NeedsRole>
        </Group>
      </Stack>
    </form>
  );
}
