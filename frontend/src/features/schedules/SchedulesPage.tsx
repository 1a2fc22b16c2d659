/** `/schedules`: your schedules with their next fire time, last fire and a pause toggle. */
import { Anchor, Badge, Button, Paper, Switch, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert, PageHeader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { NeedsRole } from "../accounts/NeedsRole";
import { type Schedule, useSchedules, useSetEnabled } from "./api";

export function PauseToggle({ schedule }: { schedule: Schedule }) {
  const { t } = useTranslation("schedules");
  const toggle = useSetEnabled();
  return (
    <NeedsRole role="researcher">
      <Switch
        checked={schedule.enabled}
        disabled={toggle.isPending}
        onChange={(event) => toggle.mutate({ id: schedule.schedule_id, enabled: event.currentTarget.checked })}
        label={schedule.enabled ? t("enabled") : t("paused")}
        aria-label={t("toggle", { name: schedule.name })}
        data-testid="schedule-toggle"
      />
    </NeedsRole>
  );
}

export function SchedulesPage() {
  const { t } = useTranslation("schedules");
  const format = useFormat();
  const schedules = useSchedules();
  const items = schedules.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <NeedsRole role="researcher">
            <Button component={Link} to="/schedules/new">
              {t("new")}
            </Button>
          </NeedsRole>
        }
      />
      {schedules.error ? <ErrorAlert error={schedules.error} /> : null}
      <Paper p="md" component="section" aria-label={t("title")}>
        {schedules.isSuccess && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("empty")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={340}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("columns.name")}</Table.Th>
                  <Table.Th>{t("columns.expression")}</Table.Th>
                  <Table.Th>{t("columns.next")}</Table.Th>
                  <Table.Th>{t("columns.last")}</Table.Th>
                  <Table.Th>{t("columns.state")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((schedule) => (
                  <Table.Tr key={schedule.schedule_id} data-testid="schedule-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/schedules/${schedule.schedule_id}`}>
                        {schedule.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" style={{ overflowWrap: "anywhere" }}>
                        {schedule.expression}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {schedule.timezone}
                      </Text>
                    </Table.Td>
                    <Table.Td className="tw-num">{schedule.next_fire_times[0] ? format.dateTime(schedule.next_fire_times[0]) : t("none")}</Table.Td>
                    <Table.Td>
                      {schedule.last_fire ? (
                        <Badge size="sm" variant="light" color={schedule.last_fire.status === "failed" ? "red" : "teal"}>
                          {t(`fireStatuses.${schedule.last_fire.status ?? "claimed"}`)}
                        </Badge>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t("never")}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <PauseToggle schedule={schedule} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </>
  );
}

export default SchedulesPage;
