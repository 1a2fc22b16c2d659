/** `/workflows/new`: a name and its steps; the server checks every step as if submitted now. */
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { PageHeader } from "../../app/Page";
import { useCreateWorkflow } from "./api";
import { newStep } from "./drafts";
import { WorkflowForm } from "./WorkflowForm";

export function NewWorkflowPage() {
  const { t } = useTranslation("workflows");
  const navigate = useNavigate();
  const create = useCreateWorkflow();
  return (
    <>
      <PageHeader title={t("newTitle")} description={t("newDescription")} />
      <WorkflowForm
        initial={{ name: "", description: "", steps: [newStep()] }}
        saving={create.isPending}
        error={create.error}
        saveLabel={t("create")}
        onSave={(body, release) => create.mutate(body, { onSuccess: (workflow) => (release(), void navigate(`/workflows/${workflow.workflow_id}`)) })}
      />
    </>
  );
}

export default NewWorkflowPage;
