import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiKey, type ApiKeyCreated, ApiProblem, type Schemas } from "../../api/client";
import { useSession } from "../../app/ApiContext";
import { ConfirmModal } from "../../app/ConfirmModal";
import { ErrorAlert, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { type Role, ROLES, useCan } from "../accounts/account";
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from "./useApiKeys";

type Scope = Schemas["Scope"];

/** Every scope of the API (a new one in the OpenAPI document fails to compile until it is listed). */
const SCOPES: Record<Scope, true> = {
  me: true,
  org: true,
  "api-keys": true,
  watchlists: true,
  datasets: true,
  symbols: true,
  notifications: true,
  strategies: true,
  backtests: true,
  optimizations: true,
  pipeline: true,
  jobs: true,
  commands: true,
  schedules: true,
  channels: true,
  workflows: true,
  realtime: true,
  audit: true,
  settings: true,
};

/** Lifetimes offered for a new key, in days ("" never expires). */
const LIFETIMES = ["", "7", "30", "90", "365"];

/** The organisation's API keys (admins): list, create with a role, scopes and an expiry (the secret
 * shown once, with a copy button), revoke. */
export function ApiKeys() {
  const { t } = useTranslation("settings");
  const admin = useCan("admin");
  const keys = useApiKeys(admin);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  return (
    <Paper p="md" component="section" aria-labelledby="keys-title">
      <Title order={2} fz="h4" id="keys-title" mb={4}>
        {t("keys.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t("keys.description")}
      </Text>
      {!admin && (
        <Text size="sm" c="dimmed">
          {t("keys.adminsOnly")}
        </Text>
      )}
      {admin && <CreateKeyForm onCreated={setCreated} />}
      {keys.error && <ErrorAlert error={keys.error} />}
      {keys.data && <KeyTable keys={keys.data.items} onRevoke={setRevoking} />}
      <SecretModal created={created} onClose={() => setCreated(null)} />
      <RevokeModal apiKey={revoking} onClose={() => setRevoking(null)} />
    </Paper>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: ApiKeyCreated) => void }) {
  const { t } = useTranslation("settings");
  const errorMessage = useErrorMessage();
  const create = useCreateApiKey();
  const { t: accounts } = useTranslation("accounts");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("researcher");
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [lifetime, setLifetime] = useState("");
  const problem = create.error instanceof ApiProblem ? create.error : null;
  const atName = problem?.at("name") ?? [];
  const located = [...atName, ...(problem?.at("role") ?? []), ...(problem?.at("scopes") ?? []), ...(problem?.at("expires_at") ?? [])];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: Schemas["ApiKeyIn"] = { name: name.trim(), role };
    if (scopes.length) body.scopes = scopes;
    if (lifetime) body.expires_at = new Date(Date.now() + Number(lifetime) * 86_400_000).toISOString();
    create.mutate(body, {
      onSuccess: (made) => {
        setName("");
        onCreated(made);
      },
    });
  };
  return (
    <form onSubmit={submit} aria-label={t("keys.create")} noValidate>
      <Group align="flex-start" gap="sm" mb="sm" wrap="wrap">
        <TextInput
          label={t("keys.name")}
          description={t("keys.nameHint")}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={atName.length ? atName.join("; ") : undefined}
          style={{ flex: "1 1 14rem" }}
          maxLength={64}
        />
        <Select
          label={t("keys.role")}
          description={t("keys.roleHint")}
          data={ROLES.map((value) => ({ value, label: accounts(`roles.${value}`) }))}
          value={role}
          allowDeselect={false}
          onChange={(value) => value && setRole(value as Role)}
          error={problem?.at("role").join("; ") || undefined}
          w={170}
        />
        <Select
          label={t("keys.expires")}
          description={t("keys.expiresHint")}
          data={LIFETIMES.map((value) => ({ value, label: value ? t("keys.afterDays", { days: value }) : t("keys.never") }))}
          value={lifetime}
          allowDeselect={false}
          onChange={(value) => setLifetime(value ?? "")}
          error={problem?.at("expires_at").join("; ") || undefined}
          w={170}
        />
      </Group>
      <Group align="flex-end" gap="sm" mb="md" wrap="wrap">
        <MultiSelect
          label={t("keys.scopes")}
          description={t("keys.scopesHint")}
          placeholder={scopes.length ? undefined : t("keys.allScopes")}
          data={Object.keys(SCOPES)}
          value={scopes}
          onChange={(value) => setScopes(value as Scope[])}
          error={problem?.at("scopes").join("; ") || undefined}
          searchable
          clearable
          style={{ flex: "1 1 20rem" }}
        />
        <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
          {t("keys.create")}
        </Button>
      </Group>
      {create.error && !located.length && (
        <Text c="var(--tw-error)" size="sm" role="alert" mb="sm">
          {errorMessage(create.error)}
        </Text>
      )}
    </form>
  );
}

function KeyTable({ keys, onRevoke }: { keys: ApiKey[]; onRevoke: (key: ApiKey) => void }) {
  const { t } = useTranslation("settings");
  const { t: accounts } = useTranslation("accounts");
  const [now] = useState(() => Date.now());
  const format = useFormat();
  const { apiKey } = useSession();
  if (!keys.length)
    return (
      <Text c="dimmed" size="sm">
        {t("keys.empty")}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label={t("keys.title")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("keys.name")}</Table.Th>
            <Table.Th scope="col">{t("keys.prefix")}</Table.Th>
            <Table.Th scope="col">{t("keys.role")}</Table.Th>
            <Table.Th scope="col">{t("keys.scopes")}</Table.Th>
            <Table.Th scope="col" className="tw-num">
              {t("keys.created")}
            </Table.Th>
            <Table.Th scope="col" className="tw-num">
              {t("keys.expires")}
            </Table.Th>
            <Table.Th scope="col">{t("keys.status")}</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>{t("keys.actions")}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => {
            const current = !!apiKey?.startsWith(key.prefix);
            const expired = !!key.expires_at && Date.parse(key.expires_at) <= now;
            return (
              <Table.Tr key={key.key_id} data-testid={`key-${key.key_id}`}>
                <Table.Th scope="row" fw={500}>
                  <span translate="no">{key.name}</span>{" "}
                  {current && (
                    <Badge size="xs" variant="light" ml={4}>
                      {t("keys.thisBrowser")}
                    </Badge>
                  )}
                </Table.Th>
                <Table.Td>
                  <Code>{key.prefix}…</Code>
                </Table.Td>
                <Table.Td>{accounts(`roles.${key.role}`)}</Table.Td>
                <Table.Td>
                  {key.scopes.length ? (
                    <Text size="xs" translate="no">
                      {key.scopes.join(", ")}
                    </Text>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {t("keys.allScopes")}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td className="tw-num">{format.dateTime(key.created_at)}</Table.Td>
                <Table.Td className="tw-num">{key.expires_at ? format.dateTime(key.expires_at) : t("keys.never")}</Table.Td>
                <Table.Td>
                  {key.revoked_at ? (
                    <Badge size="sm" color="gray" variant="light" title={format.dateTime(key.revoked_at)}>
                      {t("keys.revoked")}
                    </Badge>
                  ) : expired ? (
                    <Badge size="sm" color="orange" variant="light">
                      {t("keys.expired")}
                    </Badge>
                  ) : (
                    <Badge size="sm" color="teal" variant="light">
                      {t("keys.active")}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  {!key.revoked_at && (
                    <Button size="compact-xs" color="red" variant="light" onClick={() => onRevoke(key)} aria-label={t("keys.revokeLabel", { name: key.name })}>
                      {t("keys.revoke")}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function SecretModal({ created, onClose }: { created: ApiKeyCreated | null; onClose: () => void }) {
  const { t } = useTranslation("settings");
  const { t: common } = useTranslation();
  return (
    <Modal
      opened={!!created}
      onClose={onClose}
      title={t("keys.createdTitle", { name: created?.name ?? "" })}
      closeButtonProps={{ "aria-label": common("actions.close") }}
    >
      <Stack gap="sm">
        <Alert color="yellow" variant="light">
          {t("keys.secretOnce")}
        </Alert>
        <Code block data-testid="new-key-secret" style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
          {created?.secret}
        </Code>
        <Group justify="space-between">
          <CopyButton value={created?.secret ?? ""}>
            {({ copied, copy }) => (
              <Button variant="light" color={copied ? "teal" : undefined} onClick={copy}>
                {copied ? common("actions.copied") : common("actions.copy")}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose}>{t("keys.done")}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function RevokeModal({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const { t } = useTranslation("settings");
  const revoke = useRevokeApiKey();
  const session = useSession();
  const current = !!apiKey && !!session.apiKey?.startsWith(apiKey.prefix);
  return (
    <ConfirmModal
      opened={!!apiKey}
      onClose={onClose}
      title={t("keys.revokeTitle", { name: apiKey?.name ?? "" })}
      confirmLabel={t("keys.revokeConfirm")}
      mutation={revoke}
      onConfirm={(close) => apiKey && revoke.mutate(apiKey.key_id, { onSuccess: close })}
    >
      <Text size="sm">{t("keys.revokeBody")}</Text>
      {current && (
        <Alert color="red" variant="light">
          {t("keys.revokeCurrent")}
        </Alert>
      )}
    </ConfirmModal>
  );
}
