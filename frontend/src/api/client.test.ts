import { describe, expect, it, vi } from "vitest";
import { ApiProblem, createApi, unwrap } from "./client";

function recording(status: number, body: unknown, contentType = "application/json") {
  const requests: Request[] = [];
  const fetchImpl = vi.fn(async (request: Request) => {
    requests.push(request);
    return new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "Content-Type": contentType } });
  }) as unknown as typeof fetch;
  return { requests, fetchImpl };
}

describe("createApi", () => {
  it("joins a stage base URL and sends the key as a bearer token", async () => {
    const { requests, fetchImpl } = recording(200, { items: [], next_token: null });
    const api = createApi({ baseUrl: "https://x.execute-api.us-east-1.amazonaws.com/prod/", apiKey: "tw_k", fetch: fetchImpl });
    await unwrap(api.GET("/datasets", { params: { query: { limit: 10 } } }));
    expect(requests[0].url).toBe("https://x.execute-api.us-east-1.amazonaws.com/prod/datasets?limit=10");
    expect(requests[0].headers.get("Authorization")).toBe("Bearer tw_k");
    expect(requests[0].url).not.toContain("tw_k");
  });

  it("uses the page's origin without a base URL and sends no key header without a key", async () => {
    const { requests, fetchImpl } = recording(200, { version: "1", commit: "c", stage: "local", region: "r" });
    const info = await unwrap(createApi({ baseUrl: "", apiKey: null, fetch: fetchImpl }).GET("/health/info"));
    expect(info.stage).toBe("local");
    expect(requests[0].url).toBe(`${window.location.origin}/health/info`);
    expect(requests[0].headers.has("Authorization")).toBe(false);
  });
});

describe("ApiProblem", () => {
  const problem = {
    type: "about:blank",
    title: "Unprocessable Entity",
    status: 422,
    detail: "Request validation failed",
    request_id: "r1",
    errors: [
      { loc: ["body", "name"], msg: "name is taken", type: "conflict" },
      { loc: ["body", "space", "fast", "min"], msg: "must be >= 2", type: "greater_than_equal" },
      { loc: ["query", "limit"], msg: "too big", type: "less_than_equal" },
    ],
  };

  it("turns a problem+json answer into a typed error with the server's messages at their fields", async () => {
    const { fetchImpl } = recording(422, problem, "application/problem+json");
    const api = createApi({ baseUrl: "http://api.test", apiKey: "k", fetch: fetchImpl });
    const error = await unwrap(api.POST("/api-keys", { body: { name: "x" } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    const p = error as ApiProblem;
    expect([p.status, p.title, p.message, p.requestId]).toEqual([422, "Unprocessable Entity", "Request validation failed", "r1"]);
    expect(p.at("name")).toEqual(["name is taken"]);
    expect(p.at("space", "fast")).toEqual(["must be >= 2"]);
    expect(p.at("symbols")).toEqual([]);
    expect(p.byField()).toEqual({ name: ["name is taken"], "space.fast.min": ["must be >= 2"], "query.limit": ["too big"] });
  });

  it("keeps the status of an answer that is not JSON", async () => {
    const { fetchImpl } = recording(502, "Bad gateway", "text/plain");
    const error = (await unwrap(createApi({ baseUrl: "http://api.test", apiKey: null, fetch: fetchImpl }).GET("/health/info")).catch(
      (e: unknown) => e,
    )) as ApiProblem;
    expect([error.status, error.message, error.errors]).toEqual([502, "Bad gateway", []]);
  });
});
