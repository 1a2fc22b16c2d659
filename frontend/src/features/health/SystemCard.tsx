import { Badge, Code, Group, Paper, Table, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconCheck } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { type ComponentStatus, useSystemStatus } from "./useHealth";

/** Every resource the platform runs on: tables, buckets, queues with their backlog, dead-letter
 * queues (a waiting failed message needs attention), state machines. */
export function SystemCard({ intervalMs }: { intervalMs: number }) {
  const { t } = useTranslation("health");
  const message = useErrorMessage();
  const { data, error } = useSystemStatus(intervalMs);
  return (
    <Paper p="md" component="section" aria-labelledby="system-title">
      <Group gap="sm" mb="sm">
        <Title order={2} fz="h4" id="system-title">
          {t("system.title")}
        </Title>
        {data && (
          <Badge color={data.ok ? "teal" : "orange"} variant="light" data-testid="system-status" data-ok={data.ok}>
            {t(data.ok ? "system.allOk" : "system.attention")}
          </Badge>
        )}
      </Group>
      {error && (
        <Text c="var(--tw-error)" size="sm" role="alert" translate="no">
          {message(error)}
        </Text>
      )}
      {data && (
        <Table.ScrollContainer minWidth={280}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("system.component")}</Table.Th>
                <Table.Th scope="col">{t("state")}</Table.Th>
                <Table.Th scope="col" className="tw-num">
                  {t("system.depth")}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.components.map((component) => (
                <ComponentRow key={`${component.kind}-${component.role}`} component={component} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function ComponentRow({ component }: { component: ComponentStatus }) {
  const { t } = useTranslation("health");
  const format = useFormat();
  const { kind, role, ok, depth, resource, detail } = component;
  return (
    <Table.Tr data-testid={`component-${kind}-${role}`} data-ok={ok}>
      <Table.Th scope="row" fw={500}>
        {t(`system.components.${kind}-${role}`, { defaultValue: `${kind} ${role}` })}
        <Code display="block" fz="xs" mt={2} translate="no" style={{ wordBreak: "break-all", whiteSpace: "normal" }} title={t("system.resource")}>
          {resource}
        </Code>
      </Table.Th>
      <Table.Td>
        <Group gap={4} wrap="nowrap" c={ok ? "var(--tw-ok)" : "var(--tw-error)"}>
          {ok ? <IconCheck size={16} aria-hidden /> : <IconAlertTriangle size={16} aria-hidden />}
          <Text size="sm" span translate="no">
            {ok ? t("ok") : detail}
          </Text>
        </Group>
      </Table.Td>
      <Table.Td className="tw-num">{depth === null || depth === undefined ? "—" : format.integer(depth)}</Table.Td>
    </Table.Tr>
  );
}
