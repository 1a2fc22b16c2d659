/** `/workflows/:workflowId`: run it, its runs (each step's status and job, live), and its editor
 * (saved as a new version; 409 when someone saved another version since this page read it). */
import { Button, Grid, Group, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { ConfirmModal } from "../../app/ConfirmModal";
import { ErrorAlert, PageHeader, PageLoader, useErrorMessage } from "../../app/Page";
import { useDeleteWorkflow, useRunWorkflow, useUpdateWorkflow, useWorkflow } from "./api";
import { fromWorkflow } from "./drafts";
import { RunsList } from "./RunsList";
import { WorkflowForm } from "./WorkflowForm";
import { NeedsRole } from "../accounts/NeedsRole";

export function WorkflowPage() {
  const { t } = useTranslation("workflows");
  const { workflowId = "" } = useParams();
  const navigate = useNavigate();
  const message = useErrorMessage();
  const workflow = useWorkflow(workflowId);
  const update = useUpdateWorkflow(workflowId);
  const run = useRunWorkflow(workflowId);
  const remove = useDeleteWorkflow();
  const [confirming, setConfirming] = useState(false);
  if (workflow.error) return <ErrorAlert error={workflow.error} />;
  if (!workflow.data) return <PageLoader />;
  const current = workflow.data;
  return (
    <>
      <PageHeader
        title={current.name}
        description={current.description ?? t("versionN", { n: current.version })}
        actions={
          <Group gap="xs">
            <NeedsRole role="researcher">
              <Button onClick={() => run.mutate()} loading={run.isPending} data-testid="workflow-run-button">
                {t("run")}
              </Button>
            </NeedsRole>
            <NeedsRole role="researcher">
              <Button variant="light" color="red" onClick={() => setConfirming(true)}>
                {t("delete")}
              </Button>
            </NeedsRole>
          </Group>
        }
      />
      {run.error ? (
        <Text c="red" size="sm" role="alert" mb="sm">
          {message(run.error)}
        </Text>
      ) : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <RunsList workflowId={workflowId} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <WorkflowForm
            key={current.version}
            initial={{ name: current.name, description: current.description ?? "", steps: fromWorkflow(current) }}
            saving={update.isPending}
            error={update.error}
            saveLabel={t("save")}
            onSave={(body, release) => update.mutate({ ...body, version: current.version }, { onSuccess: () => release() })}
          />
        </Grid.Col>
      </Grid>
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t("deleteTitle", { name: current.name })}
        confirmLabel={t("delete")}
        mutation={remove}
        onConfirm={(close) =>
          remove.mutate(workflowId, {
            onSuccess: () => {
              close();
              void navigate("/workflows");
            },
          })
        }
      >
        {t("deleteBody")}
      </ConfirmModal>
    </>
  );
}

export default WorkflowPage;
