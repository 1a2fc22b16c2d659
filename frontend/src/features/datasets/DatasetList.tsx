import { useEffect, useState } from "react";
import type { ApiClient, Dataset } from "../../api/client";

/** The tenant's datasets; generated ones always carry the "synthetic sample data" label. */
export function DatasetList({ client }: { client: ApiClient }) {
  const [datasets, setDatasets] = useState<Dataset[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    client
      .datasets()
      .then((page) => !cancelled && setDatasets(page.items))
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [client]);
  return (
    <section className="panel" aria-labelledby="datasets-title">
      <h2 id="datasets-title">Datasets {datasets && <span className="muted">({datasets.length})</span>}</h2>
      {error && <p className="error">{error}</p>}
      {datasets?.length === 0 && <p className="muted">No datasets yet.</p>}
      <ul>
        {datasets?.map((d) => (
          <li key={d.dataset_id}>
            {d.name} <span className="muted">· {d.status} · {d.symbols_count} symbols</span>
            {d.synthetic && <span className="badge">synthetic sample data</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
