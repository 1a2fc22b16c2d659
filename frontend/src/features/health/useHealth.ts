import { useEffect, useState } from "react";
import type { ApiClient, Readiness } from "../../api/client";

export interface HealthState {
  readiness: Readiness | null;
  error: string | null;
  checkedAt: Date | null;
}

/** Poll GET /health/ready every `intervalMs`; an unreachable API is reported, not thrown. */
export function useHealth(client: ApiClient, intervalMs = 5000): HealthState {
  const [state, setState] = useState<HealthState>({ readiness: null, error: null, checkedAt: null });
  useEffect(() => {
    let cancelled = false;
    const check = async () => {
      try {
        const readiness = await client.readiness();
        if (!cancelled) setState({ readiness, error: null, checkedAt: new Date() });
      } catch (error) {
        if (!cancelled) setState({ readiness: null, error: String((error as Error).message ?? error), checkedAt: new Date() });
      }
    };
    void check();
    const timer = setInterval(check, intervalMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [client, intervalMs]);
  return state;
}
