import { Button, Text } from "@mantine/core";
import { IconPlayerPause, IconPlayerPlay } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Job } from "../../api/client";
import { useErrorMessage } from "../../app/Page";
import { usePauseResume } from "./useJobs";
import { NeedsRole } from "../accounts/NeedsRole";

/** The kinds that can pause: their work is counted in shards or batches, so a resume runs exactly what
 * is left (docs/jobs.md, Pause and resume). */
const PAUSABLE = new Set(["optimization", "pipeline"]);

/** Pause a running optimization or pipeline run, resume a paused one; nothing for other jobs. The
 * server's 409 (e.g. a run already aggregating) is shown under the button. */
export function PauseResumeButton({ job, size = "xs" }: { job: Pick<Job, "job_id" | "kind" | "status">; size?: "xs" | "sm" }) {
  const { t } = useTranslation("jobs");
  const message = useErrorMessage();
  const control = usePauseResume();
  if (!PAUSABLE.has(job.kind) || (job.status !== "running" && job.status !== "paused")) return null;
  const action = job.status === "running" ? "pause" : "resume";
  return (
    <>
      <NeedsRole role="researcher">
        <Button
          size={size}
          variant="default"
          leftSection={action === "pause" ? <IconPlayerPause size={14} aria-hidden /> : <IconPlayerPlay size={14} aria-hidden />}
          loading={control.isPending}
          onClick={() => control.mutate({ job: job as Job, action })}
          data-testid="pause-resume"
        >
          {t(`detail.${action}`)}
        </Button>
      </NeedsRole>
      {control.error && (
        <Text size="sm" c="var(--tw-error)" role="alert">
          {message(control.error)}
        </Text>
      )}
    </>
  );
}
