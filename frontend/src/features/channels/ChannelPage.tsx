/** `/integrations/:channelId`: a channel's state (paused, with why, and Resume), "Send test", its
 * settings (secrets shown redacted, replaced only when typed again) and its delivery log. */
import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { ConfirmModal } from "../../app/ConfirmModal";
import { ErrorAlert, PageHeader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { type Delivery, useChannel, useDeleteChannel, useDeliveries, useResumeChannel, useSendTest, useUpdateChannel } from "./api";
import { ChannelForm } from "./ChannelForm";
import { StatusBadge } from "./ChannelsPage";
import { SecretModal } from "./SecretModal";
import { NeedsRole } from "../accounts/NeedsRole";

const DELIVERY_COLORS: Record<Delivery["status"], string> = {
  delivered: "teal",
  delivering: "blue",
  retrying: "yellow",
  failed: "red",
  skipped: "gray",
};

export default function ChannelPage() {
  const { channelId = "" } = useParams();
  const { t } = useTranslation("channels");
  const navigate = useNavigate();
  const errorMessage = useErrorMessage();
  const channel = useChannel(channelId);
  const update = useUpdateChannel(channelId);
  const resume = useResumeChannel(channelId);
  const sendTest = useSendTest(channelId);
  const remove = useDeleteChannel();
  const [deleting, setDeleting] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  if (channel.error) return <ErrorAlert error={channel.error} />;
  const data = channel.data;
  return (
    <>
      <PageHeader
        title={data?.name ?? "…"}
        description={
          data ? (
            <>
              {t(`kinds.${data.kind}`)} · {data.destination}
            </>
          ) : undefined
        }
        actions={
          <Group gap="sm">
            {data && <StatusBadge channel={data} />}
            <NeedsRole role="admin">
              <Button variant="default" loading={sendTest.isPending} onClick={() => sendTest.mutate()}>
                {t("sendTest")}
              </Button>
            </NeedsRole>
            <NeedsRole role="admin">
              <Button color="red" variant="light" onClick={() => setDeleting(true)}>
                {t("delete")}
              </Button>
            </NeedsRole>
          </Group>
        }
      />
      <Stack gap="md">
        {sendTest.isSuccess && (
          <Text size="sm" role="status">
            {t("testQueued")}
          </Text>
        )}
        {sendTest.error && <ErrorAlert error={sendTest.error} />}
        {data?.status === "paused" && (
          <Alert color="orange" variant="light" title={t("paused.title")}>
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{data.paused_reason}</Text>
              <NeedsRole role="admin">
                <Button size="xs" loading={resume.isPending} onClick={() => resume.mutate()}>
                  {t("paused.resume")}
                </Button>
              </NeedsRole>
              {resume.error && (
                <Text c="var(--tw-error)" size="sm" role="alert">
                  {errorMessage(resume.error)}
                </Text>
              )}
            </Stack>
          </Alert>
        )}
        <Paper p="md" component="section" aria-labelledby="deliveries-title">
          <Title order={2} fz="h4" id="deliveries-title" mb="sm">
            {t("log.title")}
          </Title>
          <DeliveryLog channelId={channelId} />
        </Paper>
        {data && (
          <Paper p="md" component="section" aria-labelledby="settings-title">
            <Title order={2} fz="h4" id="settings-title" mb="sm">
              {t("settingsTitle")}
            </Title>
            <ChannelForm
              key={data.updated_at}
              channel={data}
              pending={update.isPending}
              error={update.error}
              submitLabel={t("save")}
              onSave={(body, reset) =>
                update.mutate(body, {
                  onSuccess: (saved) => {
                    reset();
                    if (saved.signing_secret) setSecret(saved.signing_secret);
                  },
                })
              }
            />
          </Paper>
        )}
      </Stack>
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
      <ConfirmModal
        opened={deleting}
        onClose={() => setDeleting(false)}
        title={t("deleteTitle", { name: data?.name ?? "" })}
        confirmLabel={t("delete")}
        mutation={remove}
        onConfirm={(close) =>
          remove.mutate(channelId, {
            onSuccess: () => {
              close();
              void navigate("/integrations");
            },
          })
        }
      >
        {t("deleteBody")}
      </ConfirmModal>
    </>
  );
}

function DeliveryLog({ channelId }: { channelId: string }) {
  const { t } = useTranslation("channels");
  const format = useFormat();
  const deliveries = useDeliveries(channelId);
  if (deliveries.error) return <ErrorAlert error={deliveries.error} />;
  const items = deliveries.data?.items ?? [];
  if (deliveries.data && !items.length)
    return (
      <Text c="dimmed" size="sm">
        {t("log.empty")}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table aria-label={t("log.title")} fz="sm" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("log.time")}</Table.Th>
            <Table.Th scope="col">{t("log.event")}</Table.Th>
            <Table.Th scope="col">{t("log.status")}</Table.Th>
            <Table.Th scope="col" className="tw-num">
              {t("log.attempts")}
            </Table.Th>
            <Table.Th scope="col" className="tw-num">
              {t("log.code")}
            </Table.Th>
            <Table.Th scope="col">{t("log.error")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((d) => (
            <Table.Tr key={d.event_id} data-testid="delivery-row">
              <Table.Td className="tw-num" style={{ whiteSpace: "nowrap" }}>
                {format.dateTime(d.created_at)}
              </Table.Td>
              <Table.Td>
                <Text size="sm" translate="no">
                  {d.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {d.test ? t("events.test") : t(`events.${d.event_kind}`, { defaultValue: d.event_kind })}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" color={DELIVERY_COLORS[d.status]}>
                  {t(`log.statuses.${d.status}`)}
                </Badge>
                {d.status === "retrying" && d.next_attempt_at && (
                  <Text size="xs" c="dimmed">
                    {t("log.nextAttempt", { at: format.dateTime(d.next_attempt_at) })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td className="tw-num">{d.attempts}</Table.Td>
              <Table.Td className="tw-num">{d.status_code ?? "—"}</Table.Td>
              <Table.Td translate="no">
                <Text size="xs" c={d.error ? "var(--tw-error)" : "dimmed"}>
                  {d.error ?? "—"}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
