import { Button, Group, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Job } from "../../api/client";
import { ConfirmModal } from "../../app/ConfirmModal";
import { useErrorMessage } from "../../app/Page";
import { isFinal } from "../jobs/jobState";
import { useCancelJob } from "../jobs/useJobs";
import { useDeleteBacktest } from "./api";
import { NeedsRole } from "../accounts/NeedsRole";

/** How many runs the comparison takes at most. */
export const MAX_COMPARE = 4;

/** Hidden from sight, read by screen readers. */
export const visuallyHidden = {
  position: "absolute",
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
} as const;

/** Cancel (while unfinished) and delete (after confirming) one backtest. */
export function RowActions({ job, title, onDeleted }: { job: Job; title: string; onDeleted?: () => void }) {
  const { t } = useTranslation("backtests");
  const { t: common } = useTranslation();
  const errorMessage = useErrorMessage();
  const cancel = useCancelJob();
  const remove = useDeleteBacktest();
  const [confirming, setConfirming] = useState(false);
  const error = cancel.error ?? remove.error;
  return (
    <>
      <Group gap={4} wrap="nowrap" justify="flex-end">
        {!isFinal(job.status) && (
          <NeedsRole role="researcher">
            <Button size="compact-xs" variant="default" onClick={() => cancel.mutate(job)} loading={cancel.isPending} aria-label={t("cancelOne", { title })}>
              {common("actions.cancel")}
            </Button>
          </NeedsRole>
        )}
        <NeedsRole role="researcher">
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => setConfirming(true)} aria-label={t("deleteOne", { title })}>
            {t("delete")}
          </Button>
        </NeedsRole>
      </Group>
      {error && (
        <Text size="xs" c="var(--tw-error, var(--mantine-color-red-8))" role="alert">
          {errorMessage(error)}
        </Text>
      )}
      <ConfirmModal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t("deleteTitle")}
        confirmLabel={t("deleteConfirm")}
        mutation={remove}
        showError={false}
        onConfirm={() =>
          remove.mutate(job, {
            onSuccess: () => {
              setConfirming(false);
              onDeleted?.();
            },
          })
        }
      >
        {t("deleteBody", { title })}
      </ConfirmModal>
    </>
  );
}
