import { useEffect, useState } from "react";
import type { ApiClient, Dataset } from "../../api/client";

export interface DatasetsView {
  datasets: Dataset[] | null; // null until the first answer
  error: string | null;
}

/** The tenant's datasets, fetched once per client and shared by every panel that shows them. */
export function useDatasets(client: ApiClient): DatasetsView {
  const [view, setView] = useState<DatasetsView>({ datasets: null, error: null });
  useEffect(() => {
    let cancelled = false;
    client
      .datasets()
      .then((page) => !cancelled && setView({ datasets: page.items, error: null }))
      .catch((e: Error) => !cancelled && setView({ datasets: null, error: e.message }));
    return () => {
      cancelled = true;
    };
  }, [client]);
  return view;
}
