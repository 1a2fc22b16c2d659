/** A workflow's runs, newest first: each run's status (and why it failed) and its steps, each with
 * its status and a link to the job it created. Unfinished runs are followed live (`job:<id>`). */
import { Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useCatalogue } from "../commands/api";
import { useCommandText } from "../commands/CommandsPage";
import { useFollowJobs } from "../jobs/useJobs";
import { useWorkflowRuns, type WorkflowRun } from "./api";

const COLORS: Record<string, string> = {
  succeeded: "teal",
  failed: "red",
  cancelled: "gray",
  stopped: "gray",
  skipped: "gray",
  running: "blue",
  queued: "blue",
  pending: "gray",
};

function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("workflows");
  return (
    <Badge size="sm" variant="light" color={COLORS[status] ?? "blue"}>
      {t(`statuses.${status}`)}
    </Badge>
  );
}

type Step = WorkflowRun["steps"][number];

/** The step's own name (the user's text), else its command's title or its kind, in the reader's language. */
function StepName({ step }: { step: Step }) {
  const { t } = useTranslation("workflows");
  const catalogue = useCatalogue();
  const commandText = useCommandText();
  if (step.name) return <span translate="no">{step.name}</span>;
  const command = catalogue.data?.find((c) => c.name === step.command);
  if (command) return <>{commandText.plain(command, "title")}</>;
  return <>{step.kind ? t(`kinds.${step.kind}`) : step.label}</>;
}

function Run({ run }: { run: WorkflowRun }) {
  const { t } = useTranslation("workflows");
  const format = useFormat();
  return (
    <Paper p="sm" withBorder data-testid="workflow-run">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Anchor component={Link} to={`/jobs/${run.job_id}`}>
            {format.dateTime(run.created_at)}
          </Anchor>
          <StatusBadge status={run.status} />
        </Group>
        <Text size="sm" c="dimmed" className="tw-num">
          {t("stepsDone", { done: run.progress.shards_done, total: run.progress.shards_total })}
        </Text>
      </Group>
      {run.error ? (
        <Text size="sm" c="red" mb="xs" style={{ overflowWrap: "anywhere" }} data-testid="run-error">
          {run.error}
        </Text>
      ) : null}
      <Table.ScrollContainer minWidth={460}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("columns.step")}</Table.Th>
              <Table.Th>{t("columns.kind")}</Table.Th>
              <Table.Th>{t("columns.status")}</Table.Th>
              <Table.Th>{t("columns.job")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {run.steps.map((step) => (
              <Table.Tr key={step.index} data-testid="run-step">
                <Table.Td>
                  {`${step.index + 1}. `}
                  <StepName step={step} />
                </Table.Td>
                <Table.Td>{step.kind ? t(`kinds.${step.kind}`) : ""}</Table.Td>
                <Table.Td>
                  <StatusBadge status={step.status} />
                  {step.error && step.status === "failed" ? (
                    <Text size="xs" c="red" style={{ overflowWrap: "anywhere" }}>
                      {step.error}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  {step.job_id ? (
                    <Anchor component={Link} to={`/jobs/${step.job_id}`} data-testid="run-step-link">
                      {t("openJob")}
                    </Anchor>
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
    </Paper>
  );
}

export function RunsList({ workflowId }: { workflowId: string }) {
  const { t } = useTranslation("workflows");
  const runs = useWorkflowRuns(workflowId);
  const items = runs.data?.items ?? [];
  useFollowJobs(items);
  return (
    <Paper p="md" component="section" aria-labelledby="runs-title">
      <Title order={2} fz="h4" id="runs-title" mb="sm">
        {t("runs")}
      </Title>
      {runs.error ? <ErrorAlert error={runs.error} /> : null}
      {runs.isSuccess && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("noRuns")}
        </Text>
      ) : (
        <Stack gap="sm">
          {items.map((run) => (
            <Run key={run.job_id} run={run} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}
