/** The browser upload of a dataset file: POST /datasets (a presigned PUT), the PUT itself with byte
 * progress (XMLHttpRequest: fetch reports no upload progress), then POST /datasets/{id}/complete.
 * The import then runs on the server; its status arrives on `dataset:<id>` (docs/market-data.md). */
import { type Api, type Dataset, type Schemas, unwrap } from "../../api/client";

export type DatasetFormat = Schemas["DatasetCreate"]["format"];

export interface UploadRequest {
  file: File;
  name: string;
  format: DatasetFormat;
  symbol?: string;
  timezone?: string;
}

export interface UploadProgress {
  phase: "creating" | "uploading" | "completing";
  loaded: number;
  total: number;
}

/** The PUT to storage failed (the API's own calls throw `ApiProblem`). */
export class UploadFailed extends Error {
  readonly status: number;
  constructor(status: number, text: string) {
    super(text);
    this.name = "UploadFailed";
    this.status = status;
  }
}

/** The format a file's name implies, or null. */
export function formatOf(fileName: string): DatasetFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".parquet") || lower.endsWith(".pq")) return "parquet";
  return null;
}

/** A dataset name from a file name: without its extension. */
export function nameOf(fileName: string): string {
  return fileName.replace(/\.(csv|parquet|pq)$/i, "").slice(0, 128);
}

/** PUT `body` to `url` with `headers`, reporting bytes sent. Resolves on 2xx. */
export function putWithProgress(
  url: string,
  headers: Record<string, string>,
  body: Blob,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : body.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size, body.size);
        resolve();
      } else reject(new UploadFailed(xhr.status, xhr.statusText || String(xhr.status)));
    };
    xhr.onerror = () => reject(new UploadFailed(0, "network"));
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(body);
  });
}

/** The three steps; returns the dataset as `complete` answered it (status `queued`). */
export async function uploadDataset(api: Api, request: UploadRequest, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<Dataset> {
  const total = request.file.size;
  onProgress({ phase: "creating", loaded: 0, total });
  const created = await unwrap(
    api.POST("/datasets", {
      body: { name: request.name, format: request.format, symbol: request.symbol || null, timezone: request.timezone || null },
    }),
  );
  const { upload, dataset } = created;
  await putWithProgress(upload.url, upload.headers, request.file, (loaded) => onProgress({ phase: "uploading", loaded, total }), signal);
  onProgress({ phase: "completing", loaded: total, total });
  return unwrap(api.POST("/datasets/{dataset_id}/complete", { params: { path: { dataset_id: dataset.dataset_id } } }));
}
