import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiProblem, createApi } from "../../api/client";
import { fakeApi } from "../../test/api";
import { formatOf, nameOf, putWithProgress, UploadFailed, uploadDataset, type UploadProgress } from "./upload";

/** An XMLHttpRequest that records the PUT and lets the test play the storage side. */
class FakeXhr {
  static last: FakeXhr;
  static status = 200;
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  statusText = "";
  upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: Blob) {
    this.body = body;
    queueMicrotask(() => {
      this.upload.onprogress?.({ loaded: 4, total: body.size, lengthComputable: true });
      this.status = FakeXhr.status;
      this.onload?.();
    });
  }
  abort() {
    this.onabort?.();
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeXhr.status = 200;
});

describe("file names", () => {
  it("imply a format and a name", () => {
    expect(formatOf("prices.CSV")).toBe("csv");
    expect(formatOf("bars.parquet")).toBe("parquet");
    expect(formatOf("bars.pq")).toBe("parquet");
    expect(formatOf("notes.txt")).toBeNull();
    expect(nameOf("daily prices.csv")).toBe("daily prices");
  });
});

describe("uploadDataset", () => {
  const file = new File(["timestamp,open\n1,2\n"], "prices.csv", { type: "text/csv" });
  const created = {
    dataset: { dataset_id: "d1", name: "prices", status: "awaiting_upload" },
    upload: { url: "http://storage.test/put?sig=1", method: "PUT", headers: { "Content-Type": "text/csv" }, expires_in: 900 },
  };

  it("creates, PUTs with progress to the presigned URL with its headers, then completes", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    const api = fakeApi({
      "POST /datasets": { status: 201, body: created },
      "POST /datasets/d1/complete": { status: 202, body: { ...created.dataset, status: "queued" } },
    });
    const progress: UploadProgress[] = [];
    const dataset = await uploadDataset(
      createApi({ baseUrl: "http://api.test", apiKey: "k", fetch: api.fetch }),
      { file, name: "prices", format: "csv", symbol: "aapl" },
      (p) => progress.push(p),
    );
    expect(dataset.status).toBe("queued");
    expect(api.requests[0].body).toEqual({ name: "prices", format: "csv", symbol: "aapl", timezone: null });
    expect(FakeXhr.last.method).toBe("PUT");
    expect(FakeXhr.last.url).toBe(created.upload.url);
    expect(FakeXhr.last.headers).toEqual({ "Content-Type": "text/csv" });
    expect(FakeXhr.last.body).toBe(file);
    expect(progress.map((p) => [p.phase, p.loaded])).toEqual([
      ["creating", 0],
      ["uploading", 4],
      ["uploading", file.size],
      ["completing", file.size],
    ]);
    expect(api.requests.map((r) => r.route)).toEqual(["POST /datasets", "POST /datasets/d1/complete"]);
  });

  it("stops at a refused PUT without completing", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    FakeXhr.status = 403;
    const api = fakeApi({ "POST /datasets": { status: 201, body: created } });
    const upload = uploadDataset(createApi({ baseUrl: "http://api.test", apiKey: "k", fetch: api.fetch }), { file, name: "prices", format: "csv" }, () => {});
    await expect(upload).rejects.toBeInstanceOf(UploadFailed);
    expect(api.requests.map((r) => r.route)).toEqual(["POST /datasets"]);
  });

  it("throws the API's problem when the dataset is refused", async () => {
    const api = fakeApi({
      "POST /datasets": {
        status: 422,
        body: { title: "Invalid", status: 422, detail: "bad", errors: [{ loc: ["body", "symbol"], msg: "letters, digits", type: "x" }] },
      },
    });
    const error = await uploadDataset(
      createApi({ baseUrl: "http://api.test", apiKey: "k", fetch: api.fetch }),
      { file, name: "x", format: "csv", symbol: "$" },
      () => {},
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    expect((error as ApiProblem).at("symbol")).toEqual(["letters, digits"]);
  });

  it("aborts the PUT", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    const controller = new AbortController();
    const put = putWithProgress("http://s", {}, file, () => {}, controller.signal);
    controller.abort();
    await expect(put).rejects.toThrow("aborted");
  });
});
