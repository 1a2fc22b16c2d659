import { Badge, Button, Code, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconCheck, IconX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { PageHeader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useRealtimeConnection, useRealtimeStatus, useTopics } from "../realtime/RealtimeProvider";

const HEALTH_TOPICS = ["health"];
import { SystemCard } from "./SystemCard";
import { useBuildInfo, useReadiness } from "./useHealth";

/** System health: the API and each dependency it checks, the build, and the realtime connection. */
export function HealthPage({ intervalMs = 5000 }: { intervalMs?: number }) {
  const { t } = useTranslation("health");
  const reachable = !useReadiness(intervalMs).error; // one query with ApiHealth's: an unreachable API is said once
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Stack gap="md">
        <ApiHealth intervalMs={intervalMs} />
        {reachable && <SystemCard intervalMs={intervalMs} />}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <BuildCard />
          <RealtimeCard />
        </SimpleGrid>
      </Stack>
    </>
  );
}

function ApiHealth({ intervalMs }: { intervalMs: number }) {
  const { t } = useTranslation("health");
  const format = useFormat();
  const message = useErrorMessage();
  const { data, error, dataUpdatedAt, errorUpdatedAt } = useReadiness(intervalMs);
  const overall = error ? "unreachable" : !data ? "checking" : data.ready ? "ready" : "notReady";
  const color = { ready: "teal", notReady: "red", unreachable: "red", checking: "gray" }[overall];
  const checkedAt = Math.max(dataUpdatedAt, errorUpdatedAt);
  return (
    <Paper p="md" component="section" aria-labelledby="api-health-title">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Group gap="sm">
          <Title order={2} fz="h4" id="api-health-title">
            {t("api")}
          </Title>
          <Badge color={color} variant="light" data-testid="health-status" data-status={overall}>
            {t(`status.${overall}`)}
          </Badge>
        </Group>
        {checkedAt > 0 && (
          <Text size="sm" c="dimmed">
            {t("checkedAt", { time: format.time(checkedAt) })}
          </Text>
        )}
      </Group>
      {error && (
        <Text c="var(--tw-error)" size="sm" role="alert" translate="no">
          {message(error)}
        </Text>
      )}
      {data && (
        <Table.ScrollContainer minWidth={320}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t("check")}</Table.Th>
                <Table.Th scope="col">{t("state")}</Table.Th>
                <Table.Th scope="col">{t("detail")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {Object.entries(data.checks).map(([name, check]) => (
                <Table.Tr key={name} data-testid={`check-${name}`} data-ok={check.ok}>
                  <Table.Th scope="row">
                    <Code>{name}</Code>
                  </Table.Th>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" c={check.ok ? "var(--tw-ok)" : "var(--tw-error)"}>
                      {check.ok ? <IconCheck size={16} aria-hidden /> : <IconX size={16} aria-hidden />}
                      <Text size="sm" span>
                        {t(check.ok ? "ok" : "failing")}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: "break-word" }} translate="no">
                    {check.detail}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function BuildCard() {
  const { t } = useTranslation("health");
  const { data } = useBuildInfo();
  const rows: [string, string | undefined][] = [
    ["version", data?.version],
    ["commit", data?.commit],
    ["stage", data?.stage],
    ["region", data?.region],
  ];
  return (
    <Paper p="md" component="section" aria-labelledby="build-title">
      <Title order={2} fz="h4" id="build-title" mb="sm">
        {t("build")}
      </Title>
      <dl style={{ display: "grid", gridTemplateColumns: "auto 1fr", gap: "4px 16px", margin: 0 }} data-testid="build">
        {rows.map(([key, value]) => (
          <div key={key} style={{ display: "contents" }}>
            <Text component="dt" size="sm" c="dimmed">
              {t(`buildFields.${key}`)}
            </Text>
            <Text component="dd" size="sm" m={0} ff="monospace" style={{ wordBreak: "break-all" }} data-testid={`build-${key}`}>
              {value ?? "—"}
            </Text>
          </div>
        ))}
      </dl>
    </Paper>
  );
}

function RealtimeCard() {
  const { t } = useTranslation("health");
  const { t: common } = useTranslation();
  const format = useFormat();
  const connection = useRealtimeConnection();
  const { state, attempt, latencyMs, lastMessage } = useRealtimeStatus();
  useTopics(HEALTH_TOPICS);
  return (
    <Paper p="md" component="section" aria-labelledby="realtime-title">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} fz="h4" id="realtime-title">
          {t("realtime")}
        </Title>
        <Button size="xs" variant="light" disabled={state !== "connected"} title={t("pingHint")} onClick={() => connection?.pingTopic("health")}>
          {t("ping")}
        </Button>
      </Group>
      <dl style={{ display: "grid", gridTemplateColumns: "auto 1fr", gap: "4px 16px", margin: 0 }}>
        <Text component="dt" size="sm" c="dimmed">
          {t("connection")}
        </Text>
        <Text component="dd" size="sm" m={0} data-testid="ws-state" data-state={state}>
          {state === "reconnecting" ? common("realtime.reconnecting", { attempt }) : common(`realtime.${state}`)}
        </Text>
        <Text component="dt" size="sm" c="dimmed">
          {t("latency")}
        </Text>
        <Text component="dd" size="sm" m={0} className="tw-num" data-testid="ws-latency">
          {latencyMs === null ? "—" : t("ms", { value: format.integer(latencyMs) })}
        </Text>
        <Text component="dt" size="sm" c="dimmed">
          {t("lastMessage")}
        </Text>
        <Text component="dd" size="sm" m={0} data-testid="ws-last-message" style={{ wordBreak: "break-word" }}>
          {lastMessage ? (
            <>
              {/* the protocol's message type, an identifier (not prose): as sent */}
              <Code translate="no">{lastMessage.type}</Code> {t("messageAt", { topic: lastMessage.topic ?? "—", time: format.time(lastMessage.ts) })}
            </>
          ) : (
            t("noMessage")
          )}
        </Text>
      </dl>
    </Paper>
  );
}

export default HealthPage;
