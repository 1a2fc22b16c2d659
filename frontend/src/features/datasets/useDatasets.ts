import { useQuery } from "@tanstack/react-query";
import { unwrap } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import { useApi } from "../../app/ApiContext";

/** The tenant's datasets (first page of `limit`), shared by every view that shows them; refreshed
 * by `dataset:<id>` and dataset notifications (features/realtime/invalidation.ts). */
export function useDatasets(limit = 100) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.datasets.list({ limit }),
    queryFn: () => unwrap(api.GET("/datasets", { params: { query: { limit } } })),
  });
}
