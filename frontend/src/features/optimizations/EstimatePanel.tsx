import { Alert, Group, Paper, SimpleGrid, Text } from "@mantine/core";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem } from "../../api/client";
import { useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import type { Estimate } from "./useOptimizations";

/** Runs, shards, projected duration and cost of the space being edited (POST /optimizations/estimate). */
export function EstimatePanel({ estimate, pending, error, ready }: { estimate: Estimate | null; pending: boolean; error: unknown; ready: boolean }) {
  const { t } = useTranslation("optimizations");
  const titleId = useId(); // a workflow may show several estimates
  const format = useFormat();
  const errorMessage = useErrorMessage();
  const located = error instanceof ApiProblem && error.errors.some((e) => e.loc[0] === "body");
  const cells = estimate
    ? [
        {
          id: "runs",
          value: format.integer(estimate.runs),
          hint: t("estimate.runsDetail", {
            combinations: format.integer(estimate.combinations),
            symbols: format.integer(estimate.symbols),
            windows: format.integer(estimate.windows),
          }),
        },
        { id: "shards", value: format.integer(estimate.shards) },
        { id: "duration", value: format.duration(estimate.duration.projected_seconds) },
        { id: "cost", value: t("estimate.usd", { amount: format.significant(estimate.cost_usd.total, 3) }) },
      ]
    : [];
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={titleId} aria-live="polite" aria-busy={pending} data-testid="estimate">
      <Group justify="space-between" gap="xs">
        <Text fw={600} size="sm" id={titleId}>
          {t("estimate.title")}
        </Text>
        {pending && ready && (
          <Text size="xs" c="dimmed">
            {t("estimate.updating")}
          </Text>
        )}
      </Group>
      {!ready && !estimate && (
        <Text size="sm" c="dimmed">
          {t("estimate.waiting")}
        </Text>
      )}
      {error && !located ? (
        <Text size="sm" c="var(--tw-error)">
          {errorMessage(error)}
        </Text>
      ) : null}
      {estimate && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" mt={4} style={{ opacity: error ? 0.5 : 1 }}>
          {cells.map((cell) => (
            <div key={cell.id}>
              <Text size="xs" c="dimmed">
                {t(`estimate.${cell.id}`)}
              </Text>
              <Text fw={700} className="tw-num" data-testid={`estimate-${cell.id}`}>
                {cell.value}
              </Text>
              {cell.hint && (
                <Text size="xs" c="dimmed" className="tw-num">
                  {cell.hint}
                </Text>
              )}
            </div>
          ))}
        </SimpleGrid>
      )}
      {estimate && !estimate.within_limit && (
        <Alert color="red" variant="light" mt="xs" p="xs">
          {t("estimate.overLimit", { max: format.integer(estimate.max_runs) })}
        </Alert>
      )}
    </Paper>
  );
}
