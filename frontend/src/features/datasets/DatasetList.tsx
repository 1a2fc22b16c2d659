import type { DatasetsView } from "./useDatasets";

/** The tenant's datasets; generated ones always carry the "synthetic sample data" label. */
export function DatasetList({ view: { datasets, error } }: { view: DatasetsView }) {
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
