import { Badge, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Job, unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";
import { useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { jobTitle, metricLabel, SCREENING_METRICS } from "./format";

const ROWS = 20;

/** A succeeded optimization's best combinations: rank, parameters, the objective, then the other
 * screening metrics (each the mean over the job's symbols). */
export function LeaderboardTable({ job, synthetic }: { job: Job; synthetic: boolean }) {
  const { t } = useTranslation("jobs");
  const { t: common } = useTranslation();
  const format = useFormat();
  const errorMessage = useErrorMessage();
  const api = useApi();
  const { data: board, error } = useQuery({
    queryKey: [...queryKeys.jobs.detail(job.job_id), "leaderboard", ROWS],
    queryFn: () => unwrap(api.GET("/optimizations/{job_id}/leaderboard", { params: { path: { job_id: job.job_id }, query: { limit: ROWS } } })),
  });

  const id = `board-${job.job_id}`;
  if (error)
    return (
      <Text id={id} c="var(--tw-error)" size="sm" role="alert">
        {errorMessage(error)}
      </Text>
    );
  if (!board)
    return (
      <Text id={id} c="dimmed" size="sm">
        {t("leaderboard.loading")}
      </Text>
    );
  const objective = board.objective.metric ?? "sharpe";
  const params = board.rows.length ? Object.keys(board.rows[0].params) : [];
  const others = SCREENING_METRICS.filter((metric) => metric !== objective);
  return (
    <Table.ScrollContainer minWidth={480} id={id} mt="xs">
      <Table aria-label={t("leaderboard.label", { title: jobTitle(t, job) })} striped withTableBorder>
        <Table.Caption style={{ captionSide: "top", textAlign: "left" }}>
          {t("leaderboard.caption", {
            count: board.rows.length,
            metric: metricLabel(t, objective),
            direction: t(`leaderboard.direction.${board.objective.direction ?? "maximize"}`),
            symbols: format.integer(job.symbols.length),
          })}
          {synthetic && (
            <Badge ml="xs" variant="light" color="yellow" size="sm">
              {common("synthetic")}
            </Badge>
          )}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("leaderboard.rank")}</Table.Th>
            {params.map((name) => (
              <Table.Th scope="col" key={name} className="tw-num">
                {name}
              </Table.Th>
            ))}
            <Table.Th scope="col" className="tw-num">
              {t("leaderboard.objective", { metric: metricLabel(t, objective) })}
            </Table.Th>
            {others.map((metric) => (
              <Table.Th scope="col" key={metric} className="tw-num">
                {metricLabel(t, metric)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {board.rows.map((row) => (
            <Table.Tr key={row.combination}>
              <Table.Th scope="row" className="tw-num">
                {row.rank}
              </Table.Th>
              {params.map((name) => (
                <Table.Td key={name} className="tw-num">
                  {String(row.params[name])}
                </Table.Td>
              ))}
              <Table.Td className="tw-num">{format.significant(row.metrics[objective] as number | null)}</Table.Td>
              {others.map((metric) => (
                <Table.Td key={metric} className="tw-num">
                  {format.significant(row.metrics[metric] as number | null)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
