/** `/workflows`: your workflows (their steps in order, runs started, the last run). */
import { Anchor, Button, Paper, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorAlert, PageHeader } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useWorkflows, type Workflow } from "./api";
import { NeedsRole } from "../accounts/NeedsRole";

function stepsLine(workflow: Workflow, kind: (value: string) => string): string {
  return workflow.steps
    .map((step) => {
      const target = step.target as { kind: string; command?: string };
      return (typeof step.name === "string" && step.name) || target.command || kind(target.kind);
    })
    .join(" → ");
}

export function WorkflowsPage() {
  const { t } = useTranslation("workflows");
  const format = useFormat();
  const workflows = useWorkflows();
  const items = workflows.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <NeedsRole role="researcher">
            <Button component={Link} to="/workflows/new">
              {t("new")}
            </Button>
          </NeedsRole>
        }
      />
      {workflows.error ? <ErrorAlert error={workflows.error} /> : null}
      <Paper p="md" component="section" aria-label={t("title")}>
        {workflows.isSuccess && items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("empty")}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={340}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("columns.name")}</Table.Th>
                  <Table.Th>{t("columns.steps")}</Table.Th>
                  <Table.Th>{t("columns.runs")}</Table.Th>
                  <Table.Th>{t("columns.updated")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((workflow) => (
                  <Table.Tr key={workflow.workflow_id} data-testid="workflow-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/workflows/${workflow.workflow_id}`}>
                        {workflow.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ overflowWrap: "anywhere" }}>
                        {stepsLine(workflow, (kind) => t(`kinds.${kind}`))}
                      </Text>
                    </Table.Td>
                    <Table.Td className="tw-num">{format.integer(workflow.runs)}</Table.Td>
                    <Table.Td className="tw-num">{format.dateTime(workflow.updated_at)}</Table.Td>
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

export default WorkflowsPage;
