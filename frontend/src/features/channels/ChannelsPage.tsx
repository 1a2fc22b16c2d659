/** `/integrations`: the organisation's notification channels (Slack, Discord, Telegram, webhooks). */
import { Anchor, Badge, Button, Code, Group, Paper, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert, PageHeader } from "../../app/Page";
import { type Channel, useChannels } from "./api";
import { NeedsRole } from "../accounts/NeedsRole";

export function StatusBadge({ channel }: { channel: Channel }) {
  const { t } = useTranslation("channels");
  return (
    <Badge size="sm" variant="light" color={channel.status === "paused" ? "orange" : "teal"} title={channel.paused_reason ?? undefined}>
      {t(`status.${channel.status}`)}
    </Badge>
  );
}

export default function ChannelsPage() {
  const { t } = useTranslation("channels");
  const channels = useChannels();
  const items = channels.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <NeedsRole role="admin">
            <Button component={Link} to="/integrations/new">
              {t("new")}
            </Button>
          </NeedsRole>
        }
      />
      {channels.error && <ErrorAlert error={channels.error} />}
      {channels.data && !items.length && (
        <Text c="dimmed" size="sm">
          {t("empty")}
        </Text>
      )}
      {items.length > 0 && (
        <Paper p="md">
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label={t("title")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("columns.name")}</Table.Th>
                  <Table.Th scope="col">{t("columns.kind")}</Table.Th>
                  <Table.Th scope="col">{t("columns.destination")}</Table.Th>
                  <Table.Th scope="col">{t("columns.events")}</Table.Th>
                  <Table.Th scope="col">{t("columns.status")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((channel) => (
                  <Table.Tr key={channel.channel_id} data-testid="channel-row">
                    <Table.Th scope="row" fw={500}>
                      <Anchor component={Link} to={`/integrations/${channel.channel_id}`} translate="no">
                        {channel.name}
                      </Anchor>
                    </Table.Th>
                    <Table.Td>{t(`kinds.${channel.kind}`)}</Table.Td>
                    <Table.Td translate="no">
                      <Code>{channel.destination}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {channel.subscriptions.map((s) => (
                          <Badge key={s.event} size="xs" variant="outline">
                            {t(`events.${s.event}`)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge channel={channel} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </>
  );
}
