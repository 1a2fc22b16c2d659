import { useEffect, useState } from "react";
import type { ApiClient, Job, Leaderboard } from "../../api/client";
import { formatNumber, jobTitle, metricLabel, SCREENING_METRICS } from "./format";

const ROWS = 20;

/** A succeeded optimization's best combinations: rank, parameters, the objective, then the other
 * screening metrics (each the mean over the job's symbols). */
export function LeaderboardTable({ client, job, synthetic }: { client: ApiClient; job: Job; synthetic: boolean }) {
  const [board, setBoard] = useState<Leaderboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    client
      .leaderboard(job.job_id, ROWS)
      .then((found) => !cancelled && setBoard(found))
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [client, job.job_id]);

  const id = `board-${job.job_id}`;
  if (error)
    return (
      <p id={id} className="error">
        {error}
      </p>
    );
  if (!board)
    return (
      <p id={id} className="muted">
        Loading the leaderboard…
      </p>
    );
  const objective = board.objective.metric;
  const params = board.rows.length ? Object.keys(board.rows[0].params) : [];
  const others = SCREENING_METRICS.filter((metric) => metric !== objective);
  return (
    <div id={id} className="leaderboard">
      <table aria-label={`Leaderboard of ${jobTitle(job)}`}>
        <caption>
          Best {board.rows.length} by {metricLabel(objective)} ({board.objective.direction}), means over {job.symbols.length} symbols
          {synthetic && <span className="badge">synthetic sample data</span>}
        </caption>
        <thead>
          <tr>
            <th scope="col">rank</th>
            {params.map((name) => (
              <th scope="col" key={name}>
                {name}
              </th>
            ))}
            <th scope="col">{metricLabel(objective)} (objective)</th>
            {others.map((metric) => (
              <th scope="col" key={metric}>
                {metricLabel(metric)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {board.rows.map((row) => (
            <tr key={row.combination}>
              <th scope="row">{row.rank}</th>
              {params.map((name) => (
                <td key={name}>{String(row.params[name])}</td>
              ))}
              <td>{formatNumber(row.metrics[objective])}</td>
              {others.map((metric) => (
                <td key={metric}>{formatNumber(row.metrics[metric])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {board.rows.length === 0 && <p className="muted">No combination qualified.</p>}
    </div>
  );
}
