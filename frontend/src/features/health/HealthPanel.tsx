import type { ApiClient } from "../../api/client";
import { useHealth } from "./useHealth";

/** Live readiness of the API's dependencies (DynamoDB, S3), refreshed every few seconds. */
export function HealthPanel({ client, intervalMs = 5000 }: { client: ApiClient; intervalMs?: number }) {
  const { readiness, error, checkedAt } = useHealth(client, intervalMs);
  const overall = error ? "unreachable" : readiness === null ? "checking" : readiness.ready ? "ready" : "not ready";
  return (
    <section className="panel" aria-labelledby="health-title">
      <h2 id="health-title">
        API health: <span className={`status status-${overall.replace(" ", "-")}`} data-testid="health-status">{overall}</span>
      </h2>
      {error && <p className="error">{error}</p>}
      {readiness && (
        <ul className="checks">
          {Object.entries(readiness.checks).map(([name, check]) => (
            <li key={name} data-testid={`check-${name}`}>
              <span className={check.ok ? "ok" : "fail"}>{check.ok ? "✓" : "✗"}</span> {name}
              <span className="muted"> — {check.detail}</span>
            </li>
          ))}
        </ul>
      )}
      {checkedAt && <p className="muted">checked {checkedAt.toLocaleTimeString()}</p>}
    </section>
  );
}
