/** `/schedules/:scheduleId`: the schedule, its next 5 fire times, the pause toggle, and its fire
 * history: each fire's time, outcome and the job it created (linked, with its status now). */
import { Anchor, Badge, Button, Code, Grid, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ErrorAlert, PageHeader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { NeedsRole } from "../accounts/NeedsRole";
import { STATUS_COLORS } from "../jobs/JobRow";
import { useDeleteSchedule, useFires, useSchedule } from "./api";
import { NextFires } from "./NextFires";
import { PauseToggle } from "./SchedulesPage";

export function SchedulePage() {
  const { scheduleId = "" } = useParams();
  const { t } = useTranslation("schedules");
  const format = useFormat();
  const navigate = useNavigate();
  const message = useErrorMessage();
  const schedule = useSchedule(scheduleId);
  const fires = useFires(scheduleId);
  const remove = useDeleteSchedule();
  if (schedule.error) return <ErrorAlert error={schedule.error} />;
  const data = schedule.data;
  const items = fires.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={data?.name ?? "…"}
        description={data ? t("detailDescription", { expression: data.expression, timezone: data.timezone }) : undefined}
        actions={
          data && (
            <Group gap="sm">
              <PauseToggle schedule={data} />
              <NeedsRole role="researcher">
                <Button
                  color="red"
                  variant="subtle"
                  loading={remove.isPending}
                  onClick={() => {
                    if (window.confirm(t("deleteConfirm"))) remove.mutate(data.schedule_id, { onSuccess: () => void navigate("/schedules") });
                  }}
                >
                  {t("delete")}
                </Button>
              </NeedsRole>
            </Group>
          )
        }
      />
      {remove.error ? (
        <Text c="red" size="sm" role="alert">
          {message(remove.error)}
        </Text>
      ) : null}
      {data && (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="md">
              <Paper p="md" component="section" aria-labelledby="next-title">
                <Title order={2} fz="h4" id="next-title" mb="sm">
                  {t("nextFires")}
                </Title>
                <NextFires times={data.next_fire_times} />
              </Paper>
              <Paper p="md" component="section" aria-labelledby="target-title">
                <Title order={2} fz="h4" id="target-title" mb="sm">
                  {t("target")}
                </Title>
                <Code block style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                  {JSON.stringify(data.target, null, 2)}
                </Code>
              </Paper>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Paper p="md" component="section" aria-labelledby="history-title">
              <Title order={2} fz="h4" id="history-title" mb="sm">
                {t("history")}
              </Title>
              {fires.error ? <ErrorAlert error={fires.error} /> : null}
              {fires.isSuccess && items.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("noFires")}
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={340}>
                  <Table aria-live="polite">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t("columns.fired")}</Table.Th>
                        <Table.Th>{t("columns.outcome")}</Table.Th>
                        <Table.Th>{t("columns.job")}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {items.map((fire) => (
                        <Table.Tr key={fire.scheduled_time} data-testid="fire-row" data-status={fire.status}>
                          <Table.Td className="tw-num">{format.dateTime(fire.scheduled_time)}</Table.Td>
                          <Table.Td>
                            <Badge size="sm" variant="light" color={fire.status === "failed" ? "red" : "teal"}>
                              {t(`fireStatuses.${fire.status}`)}
                            </Badge>
                            {fire.error && (
                              <Text size="xs" c="red" style={{ overflowWrap: "anywhere" }}>
                                {fire.error}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td>
                            {fire.job_id ? (
                              <Group gap="xs" wrap="nowrap">
                                <Anchor component={Link} to={`/jobs/${fire.job_id}`} size="sm" ff="monospace" data-testid="fire-job">
                                  {fire.job_id.slice(-8)}
                                </Anchor>
                                {fire.job_status && (
                                  <Badge size="sm" variant="light" color={STATUS_COLORS[fire.job_status] ?? "gray"} data-testid="fire-job-status">
                                    {t(`jobStatuses.${fire.job_status}`)}
                                  </Badge>
                                )}
                              </Group>
                            ) : (
                              <Text size="sm" c="dimmed">
                                {t("noJob")}
                              </Text>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Paper>
          </Grid.Col>
        </Grid>
      )}
    </>
  );
}

export default SchedulePage;
