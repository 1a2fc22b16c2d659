import { Alert, Autocomplete, Button, Group, NumberInput, Paper, SimpleGrid, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client";
import { ErrorAlert, useErrorMessage } from "../../app/Page";
import { type OrgSettings as Settings, type OrgSettingsBody, useOrgSettings, useSaveOrgSettings } from "./useOrgSettings";
import { NeedsRole } from "../accounts/NeedsRole";

const ZONES: string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"];
const DEFAULTS = ["cash", "commission", "commission_fixed", "slippage_bps"] as const;

function editable(settings: Settings): OrgSettingsBody {
  return {
    time_zone: settings.time_zone,
    base_currency: settings.base_currency,
    job_defaults: { ...settings.job_defaults },
    notifications: { ...settings.notifications },
  };
}

/** The organisation's settings (admins save; a save names the version it edited). */
export function OrgSettings() {
  const { t } = useTranslation("settings");
  const settings = useOrgSettings();
  const save = useSaveOrgSettings();
  return (
    <Paper p="md" component="section" aria-labelledby="org-title">
      <Title order={2} fz="h4" id="org-title" mb={4}>
        {t("org.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t("org.description")}
      </Text>
      {settings.error && <ErrorAlert error={settings.error} />}
      {settings.data && <OrgSettingsForm key={settings.data.version} settings={settings.data} save={save} />}
    </Paper>
  );
}

/** Remounted (keyed by version) whenever the settings are saved or reloaded: it edits that version. */
function OrgSettingsForm({ settings, save }: { settings: Settings; save: ReturnType<typeof useSaveOrgSettings> }) {
  const { t, i18n } = useTranslation("settings");
  const errorMessage = useErrorMessage();
  const [body, setBody] = useState<OrgSettingsBody>(() => editable(settings));
  const problem = save.error instanceof ApiProblem ? save.error : null;
  const at = (...field: string[]) => {
    const messages = problem?.at(...field) ?? [];
    return messages.length ? messages.join("; ") : undefined;
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ body, version: settings.version });
  };
  const jobDefaults = body.job_defaults ?? {};
  const setDefault = (name: (typeof DEFAULTS)[number], value: string | number) =>
    setBody({ ...body, job_defaults: { ...jobDefaults, [name]: typeof value === "number" ? value : Number(value) } });
  const notifications = body.notifications ?? {};
  const located = problem?.errors.some((e) => e.loc[0] === "body") ?? false;
  return (
    <form onSubmit={submit} aria-label={t("org.title")} noValidate>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Autocomplete
            label={t("org.timeZone")}
            data={ZONES}
            limit={20}
            value={body.time_zone ?? ""}
            onChange={(value) => setBody({ ...body, time_zone: value })}
            error={at("time_zone")}
          />
          <TextInput
            label={t("org.baseCurrency")}
            description={t("org.baseCurrencyHint")}
            value={body.base_currency ?? ""}
            maxLength={3}
            onChange={(e) => setBody({ ...body, base_currency: e.currentTarget.value.toUpperCase() })}
            error={at("base_currency")}
          />
        </SimpleGrid>
        <div>
          <Title order={3} fz="h5" mb={4}>
            {t("org.jobDefaults")}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t("org.jobDefaultsHint")}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
            {DEFAULTS.map((name) => (
              <NumberInput
                key={name}
                label={t(`org.defaults.${name}`)}
                value={jobDefaults[name] ?? 0}
                min={0}
                decimalScale={name === "commission" ? 6 : 2}
                onChange={(value) => setDefault(name, value)}
                error={at("job_defaults", name)}
              />
            ))}
          </SimpleGrid>
        </div>
        <div>
          <Title order={3} fz="h5" mb={4}>
            {t("org.notifications")}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t("org.notificationsHint")}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            {Object.keys(notifications)
              .sort()
              .map((kind) => (
                <Switch
                  key={kind}
                  label={i18n.exists(`settings:org.kinds.${kind}`) ? t(`org.kinds.${kind}`) : <span translate="no">{kind}</span>}
                  checked={notifications[kind]?.in_app ?? true}
                  onChange={(e) => setBody({ ...body, notifications: { ...notifications, [kind]: { in_app: e.currentTarget.checked } } })}
                />
              ))}
          </SimpleGrid>
          {at("notifications") && (
            <Text c="var(--tw-error)" size="sm" role="alert" mt="xs">
              {at("notifications")}
            </Text>
          )}
        </div>
        {problem?.status === 412 && (
          <Alert color="yellow" role="alert">
            {t("org.conflict")}
          </Alert>
        )}
        {save.error && problem?.status !== 412 && !located && (
          <Text c="var(--tw-error)" size="sm" role="alert">
            {errorMessage(save.error)}
          </Text>
        )}
        <Group gap="sm">
          <NeedsRole role="admin">
            <Button type="submit" loading={save.isPending}>
              {t("org.save")}
            </Button>
          </NeedsRole>
          {save.isSuccess && (
            <Text size="sm" c="dimmed" role="status">
              {t("org.saved", { version: settings.version })}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
