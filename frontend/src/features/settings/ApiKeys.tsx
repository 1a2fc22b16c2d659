import { Alert, Badge, Button, Code, CopyButton, Group, Modal, Paper, Stack, Table, Text, TextInput, Title, VisuallyHidden } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiKey, type ApiKeyCreated, ApiProblem } from "../../api/client";
import { useSession } from "../../app/ApiContext";
import { ConfirmModal } from "../../app/ConfirmModal";
import { ErrorAlert, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from "./useApiKeys";

/** The tenant's API keys: list, create (the secret shown once, with a copy button), revoke. */
export function ApiKeys() {
  const { t } = useTranslation("settings");
  const keys = useApiKeys();
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
      <CreateKeyForm onCreated={setCreated} />
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
  const [name, setName] = useState("");
  const problem = create.error instanceof ApiProblem ? create.error : null;
  const atName = problem?.at("name") ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim(), {
      onSuccess: (made) => {
        setName("");
        onCreated(made);
      },
    });
  };
  return (
    <form onSubmit={submit} aria-label={t("keys.create")} noValidate>
      <Group align="flex-start" gap="sm" mb="md" wrap="wrap">
        <TextInput
          label={t("keys.name")}
          description={t("keys.nameHint")}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={atName.length ? atName.join("; ") : undefined}
          style={{ flex: "1 1 14rem" }}
          maxLength={64}
        />
        <Button type="submit" mt={{ base: 0, xs: 42 }} loading={create.isPending} disabled={!name.trim()}>
          {t("keys.create")}
        </Button>
      </Group>
      {create.error && !atName.length && (
        <Text c="var(--tw-error)" size="sm" role="alert" mb="sm">
          {errorMessage(create.error)}
        </Text>
      )}
    </form>
  );
}

function KeyTable({ keys, onRevoke }: { keys: ApiKey[]; onRevoke: (key: ApiKey) => void }) {
  const { t } = useTranslation("settings");
  const format = useFormat();
  const { apiKey } = useSession();
  if (!keys.length)
    return (
      <Text c="dimmed" size="sm">
        {t("keys.empty")}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table aria-label={t("keys.title")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("keys.name")}</Table.Th>
            <Table.Th scope="col">{t("keys.prefix")}</Table.Th>
            <Table.Th scope="col" className="tw-num">
              {t("keys.created")}
            </Table.Th>
            <Table.Th scope="col">{t("keys.status")}</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>{t("keys.actions")}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => {
            const current = apiKey.startsWith(key.prefix);
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
                <Table.Td className="tw-num">{format.dateTime(key.created_at)}</Table.Td>
                <Table.Td>
                  {key.revoked_at ? (
                    <Badge size="sm" color="gray" variant="light" title={format.dateTime(key.revoked_at)}>
                      {t("keys.revoked")}
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
  const current = !!apiKey && session.apiKey.startsWith(apiKey.prefix);
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
