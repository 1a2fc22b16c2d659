/** The Overview's data coverage card, computed from the dataset listing (the job cards read the
 * server's figures, `GET /jobs/stats`). Pure. */
import type { Dataset } from "../../api/client";

export interface Coverage {
  datasets: number;
  ready: number;
  importing: number;
  failed: number;
  /** Symbols over the ready datasets (a symbol in two datasets counts twice). */
  symbols: number;
  rows: number;
  start: string | null;
  end: string | null;
}

export function coverage(datasets: Dataset[]): Coverage {
  const ready = datasets.filter((d) => d.status === "ready");
  const starts = ready.map((d) => d.start).filter((s): s is string => !!s);
  const ends = ready.map((d) => d.end).filter((s): s is string => !!s);
  return {
    datasets: datasets.length,
    ready: ready.length,
    importing: datasets.filter((d) => d.status === "queued" || d.status === "importing" || d.status === "awaiting_upload").length,
    failed: datasets.filter((d) => d.status === "failed").length,
    symbols: ready.reduce((sum, d) => sum + (d.symbols_count ?? 0), 0),
    rows: ready.reduce((sum, d) => sum + (d.rows ?? 0), 0),
    start: starts.length ? starts.reduce((a, b) => (a < b ? a : b)) : null,
    end: ends.length ? ends.reduce((a, b) => (a > b ? a : b)) : null,
  };
}
